-- no-transaction
-- Chat integrations (Slack's and Mattermost's slash commands) join the
-- alert sources in `integration`: a Slack app's signing secret is kept to
-- verify its requests (signing_secret), a Mattermost command's token only
-- as its SHA-256 (secret_hash).
--
-- SQLite cannot change a CHECK, so the table is rebuilt as
-- sqlite.org/lang_altertable.html describes: foreign keys off (which only
-- works outside a transaction, hence `no-transaction` above: sqlx then
-- runs this file as it is), the rebuild in a transaction of its own,
-- foreign keys on again. Dropping the old table with them on would delete
-- every alert group through `on delete cascade`.
PRAGMA foreign_keys = OFF;

BEGIN;

create table integration_new (
    integration_id    integer primary key autoincrement,
    kind              text not null
                      check (kind in ('alertmanager', 'grafana', 'pagerduty', 'generic',
                                      'slack', 'mattermost')),
    -- In the endpoint's path: letters, digits, '-' and '_'.
    name              text not null collate nocase unique
                      check (length(name) between 1 and 64 and name not glob '*[^A-Za-z0-9_-]*'),
    -- A bearer secret or a token is kept only as its SHA-256 (hex); a
    -- secret the sender signs with (PagerDuty, Grafana, Slack) must be
    -- kept to verify. One or the other, never both.
    secret_hash       text,
    signing_secret    text,
    -- Whom it searches and acts as; null: public postmortems only, and no
    -- writing.
    reader_account_id integer references account (account_id) on delete set null,
    -- kb_intake::Settings as JSON for alert sources; '{}' for chat.
    settings          text not null default '{}' check (json_valid(settings)),
    enabled           integer not null default 1 check (enabled in (0, 1)),
    created_by        text not null,
    created_at        text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    check ((secret_hash is null) <> (signing_secret is null))
);

insert into integration_new
    (integration_id, kind, name, secret_hash, signing_secret, reader_account_id,
     settings, enabled, created_by, created_at)
select integration_id, kind, name, secret_hash, signing_secret, reader_account_id,
       settings, enabled, created_by, created_at
from integration;

drop table integration;

alter table integration_new rename to integration;

COMMIT;

PRAGMA foreign_keys = ON;
