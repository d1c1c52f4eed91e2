-- Action items by team and by service, for the tracking pages at 50,000
-- items (see BENCHMARKS.md).
--
-- Teams and services belong to the postmortem, not to the item: a team's
-- counts per status meant seeking each of its postmortems' items (a
-- thousand seeks and five thousand row reads for a team of 5,000 items),
-- and the summary read every item to group it in memory (0.5 s). This
-- table holds each item once per team and once per service of its
-- postmortem, with the fields those views count, so a team's counts are
-- one range of an index, and a group's overdue items and median days to
-- close are ranges too.
--
-- Kept by triggers on action_item, postmortem_team and postmortem_service
-- (a save rewrites a postmortem's teams and services, which rewrites its
-- rows here); the application only reads it.

-- SQLite's julianday() for the RFC 3339 text this schema stores, so the
-- days-to-close expression below, and the queries that repeat it to use
-- its index, read the same on both engines. Text without a zone is UTC,
-- as in SQLite (the function fixes the session's time zone). Immutable,
-- which an index needs: the text names its zone, or UTC is assumed. Null
-- for null, as in SQLite; unlike SQLite, text that is not a time is an
-- error rather than null (the store only writes RFC 3339).
create function julianday(t text) returns double precision
    language sql immutable strict parallel safe
    set timezone = 'UTC'
    as $$ select extract(epoch from t::timestamptz)::double precision / 86400 + 2440587.5 $$;

create table action_item_group (
    action_item_id  bigint not null,
    -- 'team' or 'service'.
    kind            text not null check (kind in ('team', 'service')),
    -- The team's or service's name as the postmortem gives it.
    name            text not null,
    -- Copies of the item's status and due date.
    status          text not null,
    due             text,
    -- Days from the item's creation to its closing, while it is closed
    -- (done or won't do); null while it is open.
    closed_days     double precision,
    primary key (action_item_id, kind, name)
);

-- A group's items of one status (its counts on the Action items page),
-- in due order (its overdue items are a range).
create index action_item_group_status on action_item_group (kind, name, status, due);
-- A group's closed items by days to close: its median is read at an
-- offset of this index instead of sorting every closed item.
create index action_item_group_closed on action_item_group (kind, name, closed_days)
    where closed_days is not null;
-- A postmortem's items with the fields the filters compare: counting a
-- team's or service's items under other filters too (kind, owner...)
-- reads this index alone instead of every item's row.
create index action_item_postmortem_fields
    on action_item (postmortem_id, status, kind, priority, due, owner);
-- The median over every item, likewise.
create index action_item_closed_days on action_item ((julianday(closed_at) - julianday(created_at)))
    where closed_at is not null;

insert into action_item_group (action_item_id, kind, name, status, due, closed_days)
select a.action_item_id, 'team', t.name, a.status, a.due,
       julianday(a.closed_at) - julianday(a.created_at)
  from action_item a join postmortem_team t on t.postmortem_id = a.postmortem_id
    on conflict do nothing;
insert into action_item_group (action_item_id, kind, name, status, due, closed_days)
select a.action_item_id, 'service', s.name, a.status, a.due,
       julianday(a.closed_at) - julianday(a.created_at)
  from action_item a join postmortem_service s on s.postmortem_id = a.postmortem_id
    on conflict do nothing;

-- SQLite's `insert or ignore` becomes `on conflict do nothing`: the only
-- constraint these rows can break is the primary key (a postmortem naming
-- one team twice).
create function action_item_group_item_insert() returns trigger
    language plpgsql as $$
begin
    insert into action_item_group (action_item_id, kind, name, status, due, closed_days)
    select new.action_item_id, 'team', t.name, new.status, new.due,
           julianday(new.closed_at) - julianday(new.created_at)
      from postmortem_team t where t.postmortem_id = new.postmortem_id
        on conflict do nothing;
    insert into action_item_group (action_item_id, kind, name, status, due, closed_days)
    select new.action_item_id, 'service', s.name, new.status, new.due,
           julianday(new.closed_at) - julianday(new.created_at)
      from postmortem_service s where s.postmortem_id = new.postmortem_id
        on conflict do nothing;
    return null;
end;
$$;

create trigger action_item_group_item_insert after insert on action_item
    for each row execute function action_item_group_item_insert();

create function action_item_group_item_update() returns trigger
    language plpgsql as $$
begin
    update action_item_group
       set status = new.status, due = new.due,
           closed_days = julianday(new.closed_at) - julianday(new.created_at)
     where action_item_id = new.action_item_id;
    return null;
end;
$$;

create trigger action_item_group_item_update
    after update of status, due, created_at, closed_at on action_item
    for each row execute function action_item_group_item_update();

create function action_item_group_item_delete() returns trigger
    language plpgsql as $$
begin
    delete from action_item_group where action_item_id = old.action_item_id;
    return null;
end;
$$;

create trigger action_item_group_item_delete after delete on action_item
    for each row execute function action_item_group_item_delete();

create function action_item_group_team_insert() returns trigger
    language plpgsql as $$
begin
    insert into action_item_group (action_item_id, kind, name, status, due, closed_days)
    select a.action_item_id, 'team', new.name, a.status, a.due,
           julianday(a.closed_at) - julianday(a.created_at)
      from action_item a where a.postmortem_id = new.postmortem_id
        on conflict do nothing;
    return null;
end;
$$;

create trigger action_item_group_team_insert after insert on postmortem_team
    for each row execute function action_item_group_team_insert();

-- Only when no other row of the postmortem still names the team. The test
-- is in the body: a PostgreSQL trigger's WHEN cannot hold a subquery.
-- (PostgreSQL runs row triggers after the whole statement, SQLite after
-- each row; as a statement only removes rows, the last one's test
-- decides on both, so they end the same.)
create function action_item_group_team_delete() returns trigger
    language plpgsql as $$
begin
    if not exists (select 1 from postmortem_team t
                    where t.postmortem_id = old.postmortem_id and t.name = old.name) then
        delete from action_item_group
         where kind = 'team' and name = old.name
           and action_item_id in (select a.action_item_id from action_item a
                                   where a.postmortem_id = old.postmortem_id);
    end if;
    return null;
end;
$$;

create trigger action_item_group_team_delete after delete on postmortem_team
    for each row execute function action_item_group_team_delete();

create function action_item_group_service_insert() returns trigger
    language plpgsql as $$
begin
    insert into action_item_group (action_item_id, kind, name, status, due, closed_days)
    select a.action_item_id, 'service', new.name, a.status, a.due,
           julianday(a.closed_at) - julianday(a.created_at)
      from action_item a where a.postmortem_id = new.postmortem_id
        on conflict do nothing;
    return null;
end;
$$;

create trigger action_item_group_service_insert after insert on postmortem_service
    for each row execute function action_item_group_service_insert();

-- As for teams.
create function action_item_group_service_delete() returns trigger
    language plpgsql as $$
begin
    if not exists (select 1 from postmortem_service s
                    where s.postmortem_id = old.postmortem_id and s.name = old.name) then
        delete from action_item_group
         where kind = 'service' and name = old.name
           and action_item_id in (select a.action_item_id from action_item a
                                   where a.postmortem_id = old.postmortem_id);
    end if;
    return null;
end;
$$;

create trigger action_item_group_service_delete after delete on postmortem_service
    for each row execute function action_item_group_service_delete();

-- Items per group and status, kept by triggers on the table above, so
-- the summary's totals are one small read (counting the index above for
-- every group walked 150,000 entries). Groups that lost their last item
-- keep rows of zero.
create table action_item_group_count (
    kind    text not null,
    name    text not null,
    status  text not null,
    n       bigint not null,
    primary key (kind, name, status)
);

insert into action_item_group_count (kind, name, status, n)
select kind, name, status, count(*) from action_item_group group by kind, name, status;

create function action_item_group_count_insert() returns trigger
    language plpgsql as $$
begin
    insert into action_item_group_count (kind, name, status, n)
    values (new.kind, new.name, new.status, 1)
        on conflict (kind, name, status) do update set n = action_item_group_count.n + 1;
    return null;
end;
$$;

create trigger action_item_group_count_insert after insert on action_item_group
    for each row execute function action_item_group_count_insert();

create function action_item_group_count_delete() returns trigger
    language plpgsql as $$
begin
    update action_item_group_count set n = n - 1
     where kind = old.kind and name = old.name and status = old.status;
    return null;
end;
$$;

create trigger action_item_group_count_delete after delete on action_item_group
    for each row execute function action_item_group_count_delete();

create function action_item_group_count_update() returns trigger
    language plpgsql as $$
begin
    update action_item_group_count set n = n - 1
     where kind = old.kind and name = old.name and status = old.status;
    insert into action_item_group_count (kind, name, status, n)
    values (new.kind, new.name, new.status, 1)
        on conflict (kind, name, status) do update set n = action_item_group_count.n + 1;
    return null;
end;
$$;

create trigger action_item_group_count_update after update of status on action_item_group
    for each row when (old.status <> new.status)
    execute function action_item_group_count_update();

-- The orders of the Action items page again (migration 0004), now also
-- carrying the item's postmortem: a team or service filter over many
-- items reads the page in order and checks each item's postmortem against
-- the team's from the index alone, stopping after one page, instead of
-- reading and sorting every item of the team.
drop index action_item_due_order;
drop index action_item_priority_order;
drop index action_item_age_order;
drop index action_item_status_due;
drop index action_item_open_due;
create index action_item_due_order
    on action_item (coalesce(due, '9999-12-31'), action_item_id, postmortem_id);
create index action_item_priority_order on action_item (
    (case priority when 'high' then 0 when 'medium' then 1 else 2 end),
    coalesce(due, '9999-12-31'), action_item_id, postmortem_id);
create index action_item_age_order on action_item (created_at, action_item_id, postmortem_id);
create index action_item_status_due
    on action_item (status, coalesce(due, '9999-12-31'), action_item_id, postmortem_id);
create index action_item_open_due
    on action_item (coalesce(due, '9999-12-31'), action_item_id, postmortem_id)
    where status in ('open', 'in_progress');
