-- Alert intake: the integrations alert sources post to, the alert groups
-- each opened an incident for, the last state of every alert in a group
-- (so a repeat or a redelivery changes nothing), and the "seen before?"
-- suggestions stored on an incident when it opened.

create table integration (
    integration_id    integer primary key autoincrement,
    kind              text not null
                      check (kind in ('alertmanager', 'grafana', 'pagerduty', 'generic')),
    -- In the endpoint's path: letters, digits, '-' and '_'.
    name              text not null collate nocase unique
                      check (length(name) between 1 and 64 and name not glob '*[^A-Za-z0-9_-]*'),
    -- A bearer secret is kept only as its SHA-256 (hex); a secret the
    -- sender signs with (PagerDuty, Grafana) must be kept to verify. One
    -- or the other, never both.
    secret_hash       text,
    signing_secret    text,
    -- Whom "seen before?" searches as; null: public postmortems only.
    reader_account_id integer references account (account_id) on delete set null,
    -- kb_intake::Settings as JSON: default services and teams, label
    -- names, the severity mapping, the reopen window.
    settings          text not null default '{}' check (json_valid(settings)),
    enabled           integer not null default 1 check (enabled in (0, 1)),
    created_by        text not null,
    created_at        text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    check ((secret_hash is null) <> (signing_secret is null))
);

-- The incident an alert group belongs to. Deleting the postmortem forgets
-- the group: its next alert opens a new incident.
create table intake_group (
    integration_id integer not null references integration (integration_id) on delete cascade,
    group_key      text not null check (length(group_key) between 1 and 2000),
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    opened_at      text not null,
    primary key (integration_id, group_key)
);

create index intake_group_postmortem on intake_group (postmortem_id);

-- The last state seen of each alert of a group: an alert reported again in
-- the same state at the same time is a repeat.
create table intake_alert (
    integration_id integer not null,
    group_key      text not null,
    alert_key      text not null,
    state          text not null,
    at             text,
    primary key (integration_id, group_key, alert_key),
    foreign key (integration_id, group_key)
        references intake_group (integration_id, group_key) on delete cascade
) without rowid;

-- What the search found when the incident opened, best first. Not part of
-- the record (no revision): accepting one adds an earlier-occurrence link,
-- which is.
create table suggestion (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    target_id      integer not null references postmortem (postmortem_id) on delete cascade,
    -- The pattern's name when the match is one of the target's patterns.
    pattern        text,
    score          real not null,
    -- Why it matched: the words the alert and the target share.
    matched        text not null default '',
    -- The target's root cause and what fixed it, as the search gave them
    -- when the incident opened.
    root_cause     text not null default '',
    fix            text not null default '',
    state          text not null default 'open'
                   check (state in ('open', 'accepted', 'dismissed')),
    primary key (postmortem_id, position)
);

create index suggestion_target on suggestion (target_id);

-- The home page's ongoing incidents: clock started, not resolved, write-up
-- still a draft. Few at any time, found without reading the rest.
create index postmortem_ongoing on postmortem (started_at)
    where resolved_at is null and started_at is not null and status = 'draft';
