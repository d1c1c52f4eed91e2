-- Accounts and their sign-in sessions.

create table account (
    account_id     integer primary key autoincrement,
    -- What they sign in with, unique whatever the case ("Ada" and "ada" are
    -- one person); also their name as an owner and as an author.
    name           text not null collate nocase unique
                   check (length(name) between 1 and 100),
    -- Argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
    password_hash  text not null,
    role           text not null check (role in ('viewer', 'editor', 'admin')),
    created_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Set when an admin turns the account off; its sessions stop working.
    disabled_at    text
);

-- A signed-in browser. Only the SHA-256 of the cookie's token is kept, so
-- a copy of the database does not let anyone sign in as anyone.
create table session (
    token_hash     text primary key,
    account_id     integer not null references account (account_id) on delete cascade,
    created_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at     text not null
) without rowid;

create index session_by_account on session (account_id);
create index session_by_expiry on session (expires_at);

-- A token a script uses to call the JSON API as its owner
-- (`Authorization: Bearer hs_...`). Only its SHA-256 is kept.
create table api_token (
    api_token_id   integer primary key autoincrement,
    account_id     integer not null references account (account_id) on delete cascade,
    -- What the owner called it, e.g. "deploy bot".
    name           text not null check (length(name) between 1 and 100),
    token_hash     text not null unique,
    -- read: GET only; write: also writes, never beyond an editor's rights.
    scope          text not null check (scope in ('read', 'write')),
    created_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Updated at most once a minute, so API traffic is not a write per call.
    last_used_at   text,
    revoked_at     text
);

create index api_token_by_account on api_token (account_id);
