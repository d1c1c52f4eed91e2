-- Private postmortems: groups of accounts, who may see a restricted
-- postmortem, and the audit log of reads and writes of one.

-- A named set of accounts a private postmortem can be shared with.
create table account_group (
    group_id       integer primary key autoincrement,
    name           text not null collate nocase unique
                   check (length(name) between 1 and 100),
    created_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

create table group_member (
    group_id       integer not null references account_group (group_id) on delete cascade,
    account_id     integer not null references account (account_id) on delete cascade,
    primary key (group_id, account_id)
) without rowid;

create index group_member_by_account on group_member (account_id, group_id);

-- 1: only the readers below (and admins) may see it; to anyone else it
-- does not exist. Every query that lists, counts or links postmortems
-- leaves out the restricted ones its caller is not a reader of.
alter table postmortem add column restricted integer not null default 0
    check (restricted in (0, 1));

-- Few postmortems are private: the ones a caller may not see are read from
-- this small index, not by scanning every postmortem.
create index postmortem_private on postmortem (postmortem_id) where restricted = 1;

-- Who may see a restricted postmortem: one account or one group per row,
-- in the order the author named them.
create table postmortem_reader (
    postmortem_id  integer not null references postmortem (postmortem_id) on delete cascade,
    position       integer not null,
    account_id     integer references account (account_id) on delete cascade,
    group_id       integer references account_group (group_id) on delete cascade,
    check ((account_id is null) <> (group_id is null)),
    primary key (postmortem_id, position)
);

create index postmortem_reader_account on postmortem_reader (account_id) where account_id is not null;
create index postmortem_reader_group on postmortem_reader (group_id) where group_id is not null;

-- Every read or write of a private postmortem, for admins to review. No
-- foreign keys: the log outlives deleted postmortems and accounts.
create table access_log (
    access_log_id  integer primary key autoincrement,
    at             text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- The account, or null for the command line and an instance without
    -- accounts; `who` keeps the name as it was.
    account_id     integer,
    who            text not null,
    postmortem_id  integer not null,
    action         text not null check (action in ('read', 'write'))
);

create index access_log_newest on access_log (access_log_id desc);
create index access_log_recent on access_log (postmortem_id, who, action, at);
