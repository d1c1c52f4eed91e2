-- Action-item tracking: each item gets its own version (so a change to one
-- item can be checked for staleness without touching its neighbours), the
-- moments it was created and closed, and a history of every change to it.

-- Bumped by every change to the item (inline, bulk, API, or an editor save
-- that changed it); a change based on an older version is refused.
alter table action_item add column version integer not null default 1;
-- When the store first saw the item. Items saved before this migration get
-- their postmortem's creation time, the best known bound.
alter table action_item add column created_at text;
-- When the item last became done or won't do; null while it is open or in
-- progress (a reopened item loses it). Items already closed before this
-- migration get their postmortem's last save, the latest moment they are
-- known to have been closed by.
alter table action_item add column closed_at text;

update action_item
   set created_at = (select p.created_at from postmortem p
                      where p.postmortem_id = action_item.postmortem_id),
       closed_at = case when status in ('done', 'wont_do')
                        then (select p.updated_at from postmortem p
                               where p.postmortem_id = action_item.postmortem_id)
                   end;

-- One row per changed field of one change: who, when, from, to. Kept when
-- the item goes (no foreign key), like the change log, so a deleted item's
-- past is not rewritten.
create table action_item_change (
    action_item_change_id  integer primary key,
    action_item_id         integer not null,
    -- Who changed it, as the request context named them.
    changed_by             text not null,
    changed_at             text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- 'status', 'owner', 'due', 'title', 'priority', 'kind', 'tracker', or
    -- 'created' for the item's first save.
    field                  text not null,
    -- Canonical values as stored ('in_progress', '2024-05-01'); empty for none.
    from_value             text not null default '',
    to_value               text not null default ''
);

create index action_item_change_item on action_item_change (action_item_id, action_item_change_id);

-- The orders of the action-item page, as expressions the queries repeat
-- exactly, so the first page of 50,000 items is read from an index in
-- order instead of sorted: due date (no date last), priority then due
-- date, and age (oldest first).
create index action_item_due_order on action_item (coalesce(due, '9999-12-31'), action_item_id);
create index action_item_priority_order on action_item (
    (case priority when 'high' then 0 when 'medium' then 1 else 2 end),
    coalesce(due, '9999-12-31'), action_item_id);
create index action_item_age_order on action_item (created_at, action_item_id);
-- One status in due order, and the counts of the overdue view.
create index action_item_status_due on action_item (status, coalesce(due, '9999-12-31'));
-- The overdue view: items not closed, in due order, read until the first
-- one due today.
create index action_item_open_due on action_item (coalesce(due, '9999-12-31'), action_item_id)
    where status in ('open', 'in_progress');

-- Items per status, kept by triggers, so the counts at the top of the
-- unfiltered Action items page cost one small read instead of a scan of
-- every item. (Cascading deletes of a postmortem's items fire the delete
-- trigger too.) Filtered views count with a query.
create table action_item_status_count (
    status  text primary key,
    n       integer not null
);

insert into action_item_status_count (status, n)
select s.status, (select count(*) from action_item a where a.status = s.status)
  from (select 'open' as status union all select 'in_progress'
        union all select 'done' union all select 'wont_do') s;

create trigger action_item_count_insert after insert on action_item
begin
    insert into action_item_status_count (status, n) values (new.status, 1)
        on conflict (status) do update set n = n + 1;
end;

create trigger action_item_count_delete after delete on action_item
begin
    update action_item_status_count set n = n - 1 where status = old.status;
end;

create trigger action_item_count_update after update of status on action_item
    when old.status <> new.status
begin
    update action_item_status_count set n = n - 1 where status = old.status;
    insert into action_item_status_count (status, n) values (new.status, 1)
        on conflict (status) do update set n = n + 1;
end;
