-- The full postmortem record (kb_domain::record::Parts): write-up status,
-- clock, impact figures and narrative on the postmortem row; every list in
-- its own child table. Relational rather than one JSON document, so action
-- items can be found across postmortems (by owner, status, due date), links
-- are real foreign keys, and the enum columns are checked by the database.
-- Whole-record history stays in postmortem_revision (0002).
--
-- Every child row has a `position`: the order the author gave (the timeline
-- arrives sorted by time). Child rows go with their postmortem (on delete
-- cascade); a save replaces a postmortem's lists, except action items,
-- which keep their ids (see action_item).
--
-- The values in the CHECK constraints are the canonical names of the
-- text_enum! types in domain/src/record.rs; a new value there needs a new
-- migration here.

-- Where the write-up stands. Existing postmortems start as drafts.
alter table postmortem add column status text not null default 'draft'
    check (status in ('draft', 'in_review', 'published'));
-- The clock, YYYY-MM-DDTHH:MM:SSZ (UTC), as validated; null when unknown.
alter table postmortem add column started_at text;
alter table postmortem add column detected_at text;
alter table postmortem add column mitigated_at text;
alter table postmortem add column resolved_at text;
-- Impact figures; null when unknown, which is not the same as zero.
alter table postmortem add column users_affected integer check (users_affected >= 0);
alter table postmortem add column requests_failed integer check (requests_failed >= 0);
-- Whole units of `currency` (an ISO 4217 code such as USD).
alter table postmortem add column money_lost integer check (money_lost >= 0);
alter table postmortem add column currency text check (length(currency) = 3);
alter table postmortem add column narrative_md text not null default '';
-- Who moved the write-up to published, and when. Set by the save that
-- publishes, kept while it stays published, cleared when it leaves; the
-- store maintains them, never the input.
alter table postmortem add column published_by text;
alter table postmortem add column published_at text;

create table postmortem_team (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    name           text not null,
    primary key (postmortem_id, position)
);

create index postmortem_team_name on postmortem_team (name);

-- Who wrote the postmortem (not who saved it: that is in the revisions).
create table postmortem_author (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    name           text not null,
    primary key (postmortem_id, position)
);

create table timeline_entry (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    -- As validated: an absolute UTC time (YYYY-MM-DDTHH:MM:SSZ) or an offset
    -- from the start (T+mm:ss, T+h:mm:ss). Text, because both kinds occur.
    at             text not null,
    kind           text not null
                   check (kind in ('alert', 'observation', 'action', 'decision', 'communication')),
    text_md        text not null,
    who            text not null default '',
    primary key (postmortem_id, position)
);

create table evidence (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    kind           text not null
                   check (kind in ('alert', 'log', 'metric', 'config_diff', 'other')),
    caption        text not null default '',
    -- The material exactly as pasted: never trimmed or reformatted.
    body           text not null,
    primary key (postmortem_id, position)
);

create table hypothesis (
    -- Only so confidence steps can refer to their hypothesis; not stable
    -- across saves (the list is replaced).
    hypothesis_id        integer primary key,
    postmortem_id        integer not null references postmortem (postmortem_id) on delete cascade,
    position             integer not null,
    statement            text not null,
    evidence_for_md      text not null default '',
    evidence_against_md  text not null default '',
    outcome              text not null check (outcome in ('open', 'confirmed', 'refuted')),
    unique (postmortem_id, position)
);

-- How belief in a hypothesis moved as evidence arrived, oldest first.
create table hypothesis_confidence (
    hypothesis_id  integer not null references hypothesis (hypothesis_id) on delete cascade,
    position       integer not null,
    -- A percentage.
    value          integer not null check (value between 0 and 100),
    -- What moved it.
    note           text not null default '',
    primary key (hypothesis_id, position)
);

-- The why-chain, outermost question first.
create table why_step (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    question       text not null,
    answer         text not null default '',
    -- Something actionable was found at this level (0 or 1).
    actionable     integer not null default 0 check (actionable in (0, 1)),
    primary key (postmortem_id, position)
);

create table root_cause (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    level          text not null check (level in ('immediate', 'contributing', 'systemic')),
    statement      text not null,
    -- A percentage, when the author estimated one.
    confidence     integer check (confidence between 0 and 100),
    evidence_md    text not null default '',
    primary key (postmortem_id, position)
);

create table mitigation_attempt (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    action         text not null,
    result         text not null check (result in ('worked', 'partial', 'failed', 'unknown')),
    note_md        text not null default '',
    primary key (postmortem_id, position)
);

-- A lesson. A pattern (kind 'pattern') uses title as its name plus
-- symptoms, root cause, detection and resolution; other kinds use title and
-- text. One table for all kinds: the pattern columns are empty otherwise.
create table learning (
    postmortem_id   integer not null references postmortem (postmortem_id) on delete cascade,
    position        integer not null,
    kind            text not null check (kind in ('pattern', 'diagnostic', 'process', 'cultural')),
    title           text not null,
    text_md         text not null default '',
    symptoms_md     text not null default '',
    root_cause_md   text not null default '',
    detection_md    text not null default '',
    resolution_md   text not null default '',
    primary key (postmortem_id, position)
);

create index learning_kind on learning (kind);

-- Follow-ups. Unlike the other lists, items keep their identity across
-- edits: a save that names an item's id updates that row, so its history
-- and anything pointing at it (a PATCH by id, a tracker sync) follow it.
create table action_item (
    -- AUTOINCREMENT: an id is never reused after a delete, so an old export
    -- or revision naming a removed item can never hit a different one.
    action_item_id   integer primary key autoincrement,
    postmortem_id    integer not null references postmortem (postmortem_id) on delete cascade,
    position         integer not null,
    title            text not null,
    -- Empty when nobody is on it yet.
    owner            text not null default '',
    -- YYYY-MM-DD.
    due              text,
    priority         text not null check (priority in ('high', 'medium', 'low')),
    status           text not null check (status in ('open', 'in_progress', 'done', 'wont_do')),
    kind             text not null check (kind in ('mitigate', 'prevent', 'detect', 'process')),
    -- An outside tracker's key (OPS-123) or an http(s) URL; empty if none.
    tracker          text not null default '',
    expected_effect  text not null default '',
    unique (postmortem_id, position)
);

-- Open items across all postmortems, by owner, by what is overdue.
create index action_item_status on action_item (status);
create index action_item_owner on action_item (owner);
create index action_item_due on action_item (due);

-- A link from one postmortem to another. Seen from the target it is an
-- incoming link, so both sides show it while only the linking side owns it.
create table postmortem_link (
    postmortem_id     integer not null references postmortem (postmortem_id) on delete cascade,
    position          integer not null,
    -- The target, resolved when the link is saved. Cascade: a link to a
    -- deleted postmortem has nothing to show; the linking side's revisions
    -- still record it.
    to_postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    -- The target as the author wrote it ('#12' or an external id such as
    -- 'aws-10'), so reading gives back the same text and an export names
    -- the target in a way another instance can resolve.
    target_ref        text not null,
    kind              text not null check (kind in ('earlier_occurrence', 'related')),
    note              text not null default '',
    primary key (postmortem_id, position),
    unique (postmortem_id, to_postmortem_id),
    check (to_postmortem_id <> postmortem_id)
);

-- Incoming links: "what links here".
create index postmortem_link_to on postmortem_link (to_postmortem_id);
