-- Chat integrations (Slack's and Mattermost's slash commands) join the
-- alert sources in `integration`: a Slack app's signing secret is kept to
-- verify its requests (signing_secret), a Mattermost command's token only
-- as its SHA-256 (secret_hash).
--
-- SQLite cannot change a CHECK, so sqlite/0009 rebuilds the table (with
-- foreign keys off, outside sqlx's transaction). PostgreSQL replaces the
-- constraint in place, in the migration's transaction like any other;
-- everything else about the table stays as 0008 made it.
--
-- The columns now mean:
-- - secret_hash: a bearer secret or a token, kept only as its SHA-256
--   (hex); signing_secret: a secret the sender signs with (PagerDuty,
--   Grafana, Slack), kept to verify. One or the other, never both.
-- - reader_account_id: whom it searches and acts as; null: public
--   postmortems only, and no writing.
-- - settings: kb_intake::Settings as JSON for alert sources; '{}' for chat.
alter table integration
    drop constraint integration_kind_check,
    add constraint integration_kind_check
        check (kind in ('alertmanager', 'grafana', 'pagerduty', 'generic',
                        'slack', 'mattermost'));
