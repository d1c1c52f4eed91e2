-- Every slash command Hindsight answered, for the audit: through which
-- integration, who typed it in which channel, and which subcommand. Not
-- the text: a paste can hold anything, and the answer's own searches are
-- not logged either.
create table chat_request (
    chat_request_id  integer primary key autoincrement,
    at               text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Integrations are disabled, never deleted.
    integration_id   integer not null references integration (integration_id),
    team_id          text not null,
    channel_id       text not null,
    channel_name     text not null,
    user_id          text not null,
    user_name        text not null,
    subcommand       text not null
                     check (subcommand in ('search', 'analyze', 'open', 'status', 'note', 'help'))
);

create index chat_request_newest on chat_request (chat_request_id desc);
