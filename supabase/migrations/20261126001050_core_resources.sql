-- The shared resource layer: what every participatory resource may share (follows and
-- notifications now; likes, reports and moderation, versions next), owned here once and keyed by
-- a registered resource type. A feature registers its resource types in its own migration, with
-- the functions that answer for them; nothing here, nor in any other shared function or policy,
-- knows a feature by name. Adding a component never edits this file.

-- ---------------------------------------------------------------------------------------------
-- The registry of resource types
-- ---------------------------------------------------------------------------------------------

create table public.resource_types (
  resource_type text primary key,
  -- The component feature whose migration registered it (and whose folder holds its code).
  feature text not null references public.component_features (feature) on delete cascade,
  -- `(resource uuid) returns uuid`: the component of a resource the caller may see and take part
  -- in (comment on, follow), else null. Security definer, like every policy helper.
  component_of regprocedure not null,
  -- `() returns uuid[]`: the resources of this type the caller may not see although their
  -- component is visible to them (drafts, hidden ones, restricted ones); null when there are none.
  -- Asked once per query by the shared policies, so it should be a set, not a row-by-row test.
  unviewable regprocedure,
  constraint resource_types_name check (resource_type ~ '^[a-z][a-z_]{1,39}$')
);
alter table public.resource_types enable row level security;
create policy "resource types are public" on public.resource_types for select to anon, authenticated using (true);
-- Registered by migrations only: a row names a function the definer then runs.
revoke insert, update, delete on public.resource_types from anon, authenticated;

-- The component of a registered resource the caller may see, or null (no such type, no such
-- resource, not for their eyes). Dynamic SQL on the registry rather than a `case` per feature:
-- the function names come from `resource_types`, which only migrations write.
create or replace function private.resource_component(resource_type text, resource_id uuid) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  component uuid;
begin
  select t.component_of::oid::regproc into fn from public.resource_types t where t.resource_type = resource_component.resource_type;
  if fn is null then
    return null;
  end if;
  execute format('select %s($1)', fn) into component using resource_id;
  return component;
end $$;

-- Every registered resource the caller may not see although its component is visible, once per
-- query: shared policies (comments, follows…) exclude them without knowing why.
create or replace function private.unviewable_resource_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  more uuid[];
  ids uuid[] := '{}';
begin
  for fn in select t.unviewable::oid::regproc from public.resource_types t where t.unviewable is not null order by t.resource_type loop
    execute format('select %s()', fn) into more;
    ids := ids || coalesce(more, '{}');
  end loop;
  return ids;
end $$;

grant execute on function private.resource_component(text, uuid), private.unviewable_resource_ids()
  to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Follows: people follow resources they can see; features keep their own counters by trigger
-- ---------------------------------------------------------------------------------------------

create table public.follows (
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (resource_type, resource_id, user_id)
);
create index follows_user_idx on public.follows (user_id);

alter table public.follows enable row level security;
create policy "people see their follows" on public.follows for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people follow what they see" on public.follows for insert to authenticated
  with check (user_id = (select auth.uid())
    and (select private.can_view_component(private.resource_component(resource_type, resource_id))));
create policy "people unfollow" on public.follows for delete to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.follows from anon;
revoke update on public.follows from authenticated;

-- ---------------------------------------------------------------------------------------------
-- Notifications: one row per thing someone should know about (mentions now; follows, answers…
-- later). Polymorphic over resources; written only by security definer triggers and jobs.
-- ---------------------------------------------------------------------------------------------

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null,
  resource_type text,
  resource_id uuid,
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  read_at timestamptz,
  constraint notifications_kind check (kind ~ '^[a-z][a-z_.]{1,59}$'),
  constraint notifications_data_object check (jsonb_typeof(data) = 'object' and pg_column_size(data) < 16384)
);
create index notifications_user_idx on public.notifications (user_id, created_at desc);

alter table public.notifications enable row level security;
create policy "people read their notifications" on public.notifications for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people mark their notifications read" on public.notifications for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "people delete their notifications" on public.notifications for delete to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.notifications from anon;
revoke insert, update on public.notifications from authenticated;
grant update (read_at) on public.notifications to authenticated;
