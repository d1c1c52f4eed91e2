-- The walking skeleton: a postmortem with its text parts, the services and
-- labels it names, and the change log the search indexer follows.
-- Conventions in migrations/README.md.

create table postmortem (
    postmortem_id  integer primary key,
    -- The importer's own id (e.g. "aws-10"); re-importing it updates the row.
    external_id    text unique,
    title          text not null,
    -- Null for imported reports that never had a severity.
    severity       text check (severity in ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    -- Day the incident started, YYYY-MM-DD.
    incident_date  text,
    -- Markdown sources; rendered and sanitized on read, never stored as HTML.
    summary_md     text not null default '',
    impact_md      text not null default '',
    root_cause_md  text not null default '',
    mitigation_md  text not null default '',
    source_url     text,
    -- Bumped by every save; an edit based on an older version is refused.
    version        integer not null default 1,
    created_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

create index postmortem_newest on postmortem (created_at desc, postmortem_id desc);

create table postmortem_service (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    -- Order as the author wrote them.
    position       integer not null,
    name           text not null,
    primary key (postmortem_id, position)
);

create index postmortem_service_name on postmortem_service (name);

create table postmortem_label (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    name           text not null,
    primary key (postmortem_id, position)
);

-- Every write appends here in the same transaction. Search indexes follow
-- this log by sequence number, so an index can always catch up (after a
-- crash, or after another process wrote) by replaying what it has not seen.
create table change_log (
    -- AUTOINCREMENT: a sequence number is never reused, even after deletes,
    -- so an index's high-water mark stays meaningful.
    seq            integer primary key autoincrement,
    -- No foreign key: a deletion is logged after its row is gone.
    postmortem_id  integer not null,
    op             text not null check (op in ('upsert', 'delete')),
    changed_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
