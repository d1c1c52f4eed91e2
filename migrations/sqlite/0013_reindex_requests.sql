-- `hindsight reindex` asks for the search index to be rebuilt. Each
-- replica keeps its own index, so the request lives here, where every
-- replica's follower sees it; each notes in its index folder the latest
-- request its last rebuild answered (issue 26).
create table reindex_request (
    reindex_request_id  integer primary key autoincrement,
    requested_at        text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
