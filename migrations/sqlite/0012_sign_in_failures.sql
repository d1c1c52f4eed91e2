-- The sign-in throttle's failures, shared by every process on this
-- database (issue 26: a throttle each replica kept in memory would let
-- five replicas allow five times the guesses). One row per failed (or
-- not yet checked) attempt and key: an account and address, or an
-- address. Rows older than the throttle's window are deleted as new ones
-- come, so the table holds at most one window of attempts.
create table sign_in_failure (
    sign_in_failure_id  integer primary key autoincrement,
    key                 text not null,
    -- Milliseconds since the Unix epoch, by the writing process's clock.
    at_ms               integer not null
);
create index sign_in_failure_key on sign_in_failure (key, at_ms);
create index sign_in_failure_at on sign_in_failure (at_ms);
