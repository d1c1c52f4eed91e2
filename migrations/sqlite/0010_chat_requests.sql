-- Every slash command Hindsight answered, for the audit: through which
-- integration, who typed it in which channel, which subcommand, and the
-- incident it was about. Not the text: a paste can hold anything. The
-- incidents a channel talked about are also how `status` without an id
-- finds the channel's incident.
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
                     check (subcommand in ('search', 'analyze', 'open', 'status', 'note', 'help')),
    incident_id      integer
);

create index chat_request_newest on chat_request (chat_request_id desc);
create index chat_request_channel on chat_request (team_id, channel_id, chat_request_id desc)
    where incident_id is not null;
