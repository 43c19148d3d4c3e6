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
  -- The feature whose migration registered it (and whose folder holds its code).
  feature text not null,
  -- What people may do with it, as its manifest declares: the shared tables refuse the rest.
  capabilities text[] not null default '{}',
  -- `(resource uuid) returns uuid`: the component of a resource the caller may see and take part
  -- in (comment on, follow), else null. Security definer, like every policy helper.
  component_of regprocedure not null,
  -- `() returns uuid[]`: the resources of this type the caller may not see although their
  -- component is visible to them (drafts, hidden ones, restricted ones); null when there are none.
  -- Asked once per query by the shared policies, so it should be a set, not a row-by-row test.
  unviewable regprocedure,
  -- `(resource uuid) returns boolean`: open to participation (likes, reports) for the caller: seen
  -- and neither withdrawn, closed nor hidden. Null: a resource is open whenever it is seen.
  is_open regprocedure,
  -- `(resource uuid, reports integer, hide boolean) returns boolean`: the feature records its
  -- report count and, when told to, hides the resource (returns whether it did). Reportable only.
  reported regprocedure,
  -- `(resource uuid) returns boolean`: may the caller see this resource (its versions are read
  -- where it is). Versioned only.
  can_view regprocedure,
  -- The feature's table (keyed by `id`) whose `likes_count`, `follows_count` and `comments_count`
  -- columns the shared tables keep up to date; null: nothing counted.
  counted_in regclass,
  constraint resource_types_name check (resource_type ~ '^[a-z][a-z_]{1,39}$'),
  constraint resource_types_feature check (feature ~ '^[a-z][a-z_]{1,39}$'),
  constraint resource_types_capabilities check (capabilities <@ array['commentable', 'likeable', 'followable', 'reportable', 'versioned']),
  constraint resource_types_can_view check (can_view is not null or not 'versioned' = any (capabilities)),
  constraint resource_types_reported check (reported is not null or not 'reportable' = any (capabilities))
);
alter table public.resource_types enable row level security;
create policy "resource types are public" on public.resource_types for select to anon, authenticated using (true);
-- Registered by migrations only: a row names a function the definer then runs.
revoke insert, update, delete on public.resource_types from anon, authenticated;

-- The component of a registered resource the caller may see and that has this capability
-- ('commentable', 'likeable', 'followable', 'reportable'), or null (no such type or capability,
-- no such resource, not for their eyes). Dynamic SQL on the registry rather than a `case` per feature:
-- the function names come from `resource_types`, which only migrations write.
create or replace function private.resource_component(resource_type text, resource_id uuid, capability text) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  component uuid;
begin
  select t.component_of::oid::regproc into fn from public.resource_types t
  where t.resource_type = resource_component.resource_type and capability = any (t.capabilities);
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

-- May the caller take part (like, report) in this resource now? The feature's rule, else "they see it".
create or replace function private.resource_is_open(resource_type text, resource_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  open boolean;
begin
  if not exists (select 1 from public.resource_types t where t.resource_type = resource_is_open.resource_type) then
    return false;
  end if;
  select t.is_open::oid::regproc into fn from public.resource_types t where t.resource_type = resource_is_open.resource_type;
  if fn is null then
    return private.resource_component(resource_type, resource_id, 'likeable') is not null
        or private.resource_component(resource_type, resource_id, 'reportable') is not null;
  end if;
  execute format('select %s($1)', fn) into open using resource_id;
  return coalesce(open, false);
end $$;

-- The components the caller can see, and the spaces they moderate, computed once per query (an
-- init plan) instead of once per row: a 1,000-comment thread is read at the cost of one lookup.
create or replace function private.visible_component_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(c.id), '{}') from public.components c where private.can_view_component_row(c.space_id, c.published_at)
$$;
create or replace function private.moderated_space_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case
    when (select auth.uid()) is null then '{}'::uuid[]
    when private.is_org_admin() then (select coalesce(array_agg(s.id), '{}') from public.spaces s)
    else (select coalesce(array_agg(distinct r.space_id), '{}') from public.space_roles r
          where r.user_id = (select auth.uid()) and r.role in ('admin', 'moderator'))
  end
$$;
grant execute on function private.visible_component_ids(), private.moderated_space_ids() to anon, authenticated, service_role;

grant execute on function private.resource_component(text, uuid, text), private.unviewable_resource_ids(),
  private.resource_is_open(text, uuid)
  to anon, authenticated, service_role;

-- Moves one of a resource's counters (`likes_count`…) in the table its feature registered, as the
-- owner: the counter row's lock serialises concurrent likes, follows and comments, once for all
-- features. The column name comes from the shared tables' triggers, the table from the registry.
create or replace function private.count_on_resource(resource_type text, resource_id uuid, counter text, delta integer) returns void
language plpgsql security definer set search_path = '' as $$
declare
  tbl regclass;
begin
  select t.counted_in into tbl from public.resource_types t where t.resource_type = count_on_resource.resource_type;
  if tbl is not null then
    execute format('update %s set %I = %I + $1 where id = $2', tbl, counter, counter) using delta, resource_id;
  end if;
end $$;
revoke all on function private.count_on_resource(text, uuid, text, integer) from public, anon, authenticated;

-- The trigger of `likes` and `follows`: `tg_argv[0]` names the counter.
create or replace function private.count_shared_row() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.count_on_resource(coalesce(new.resource_type, old.resource_type), coalesce(new.resource_id, old.resource_id),
                                    tg_argv[0], case when tg_op = 'INSERT' then 1 else -1 end);
  return null;
end $$;

-- May the caller see this resource? The feature's rule (`can_view`), for versioned types.
create or replace function private.resource_visible(resource_type text, resource_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  visible boolean;
begin
  select t.can_view::oid::regproc into fn from public.resource_types t where t.resource_type = resource_visible.resource_type;
  if fn is null then
    return false;
  end if;
  execute format('select %s($1)', fn) into visible using resource_id;
  return coalesce(visible, false);
end $$;
grant execute on function private.resource_visible(text, uuid) to anon, authenticated, service_role;

-- A feature attaches this to its resource tables (`after delete … execute function
-- private.forget_resource('<type>'[, '<id column>'])`): shared rows carry no foreign key to a
-- feature's table, so the feature says when its resource is gone.
create or replace function private.forget_resource() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  gone uuid := (to_jsonb(old) ->> coalesce(tg_argv[1], 'id'))::uuid;
begin
  delete from public.likes where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.follows where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.reports where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.versions where resource_type = tg_argv[0] and resource_id = gone;
  return null;
end $$;

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

create trigger follows_count after insert or delete on public.follows
  for each row execute function private.count_shared_row('follows_count');

alter table public.follows enable row level security;
create policy "people see their follows" on public.follows for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people follow what they see" on public.follows for insert to authenticated
  with check (user_id = (select auth.uid())
    and (select private.can_view_component(private.resource_component(resource_type, resource_id, 'followable'))));
create policy "people unfollow" on public.follows for delete to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.follows from anon;
revoke update on public.follows from authenticated;

-- ---------------------------------------------------------------------------------------------
-- Likes (Decidim's endorsements): one per person and resource, where the component's `like`
-- action is open; features keep their counters by trigger
-- ---------------------------------------------------------------------------------------------

create table public.likes (
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  -- Filled in by the insert trigger from the registry (null when the caller may not see the
  -- resource: the insert policy then refuses it); policies read it without asking the feature.
  component_id uuid references public.components (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (resource_type, resource_id, user_id)
);
create index likes_user_idx on public.likes (user_id);

create or replace function private.likes_before_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.component_id := private.resource_component(new.resource_type, new.resource_id, 'likeable');
  return new;
end $$;
create trigger likes_before_insert before insert on public.likes
  for each row execute function private.likes_before_insert();

create trigger likes_count after insert or delete on public.likes
  for each row execute function private.count_shared_row('likes_count');

alter table public.likes enable row level security;
create policy "likes of visible resources are public" on public.likes for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and not resource_id = any ((select private.unviewable_resource_ids())::uuid[]));
create policy "signed-in people like open resources where likes are open" on public.likes for insert to authenticated
  with check (user_id = (select auth.uid())
    and (select private.resource_is_open(resource_type, resource_id))
    and (select private.component_allows(component_id, 'like')));
create policy "people take back their like while likes are open" on public.likes for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.component_allows(component_id, 'like')));
revoke insert, update, delete on public.likes from anon;
revoke insert, update on public.likes from authenticated;
grant insert (resource_type, resource_id) on public.likes to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Reports and moderation: one report per person and resource; the third hides the resource
-- pending review, once (after a moderator unhides it, later reports no longer hide it on their
-- own). Every hide and unhide is recorded: by whom (null: the reports), when.
-- ---------------------------------------------------------------------------------------------

create table public.reports (
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  -- Filled in by the insert trigger from the registry (null when the caller may not see the
  -- resource: the insert policy then refuses it); policies read them without asking the feature.
  component_id uuid references public.components (id) on delete cascade,
  space_id uuid references public.spaces (id) on delete cascade,
  reason text not null,
  details text not null default '',
  created_at timestamptz not null default now(),
  primary key (resource_type, resource_id, user_id),
  constraint reports_reason check (reason in ('spam', 'offensive', 'does_not_belong')),
  constraint reports_details check (char_length(details) <= 1000)
);
create index reports_user_idx on public.reports (user_id);
create index reports_space_idx on public.reports (space_id);

-- One counter row per reported resource: its row lock serialises concurrent reports, so exactly
-- one of them is the third.
create table public.report_counts (
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  space_id uuid not null references public.spaces (id) on delete cascade,
  reports integer not null default 0,
  primary key (resource_type, resource_id)
);

create table public.moderation_decisions (
  id bigint generated always as identity primary key,
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  space_id uuid not null references public.spaces (id) on delete cascade,
  hidden boolean not null,
  -- Null when the third report hid it.
  actor_id uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now()
);
create index moderation_decisions_resource_idx on public.moderation_decisions (resource_type, resource_id, created_at);
create index moderation_decisions_space_idx on public.moderation_decisions (space_id, created_at desc);

create or replace function private.reports_before_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.component_id := private.resource_component(new.resource_type, new.resource_id, 'reportable');
  new.space_id := (select c.space_id from public.components c where c.id = new.component_id);
  new.created_at := now();
  return new;
end $$;
create trigger reports_before_insert before insert on public.reports
  for each row execute function private.reports_before_insert();

create or replace function private.reports_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  n integer;
  fn regproc;
begin
  insert into public.report_counts as rc (resource_type, resource_id, space_id, reports)
  values (new.resource_type, new.resource_id, new.space_id, 1)
  on conflict (resource_type, resource_id) do update set reports = rc.reports + 1
  returning rc.reports into n;
  select t.reported::oid::regproc into fn from public.resource_types t where t.resource_type = new.resource_type;
  -- The feature hides it; the decision it records (record_moderation) knows it was the reports.
  perform set_config('decidons.hidden_by_reports', 'on', true);
  execute format('select %s($1, $2, $3)', fn) using new.resource_id, n, n = 3;
  perform set_config('decidons.hidden_by_reports', 'off', true);
  return null;
end $$;
create trigger reports_after_insert after insert on public.reports
  for each row execute function private.reports_after_insert();

-- A feature attaches this to its resource tables (`after update of hidden_at … execute function
-- private.record_moderation('<type>'[, '<id column>'])`): every hide and unhide is recorded.
-- The row must have `space_id` and `hidden_at`.
create or replace function private.record_moderation() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  was timestamptz := (to_jsonb(old) ->> 'hidden_at')::timestamptz;
  now_hidden timestamptz := (to_jsonb(new) ->> 'hidden_at')::timestamptz;
begin
  if (was is null) <> (now_hidden is null) then
    insert into public.moderation_decisions (resource_type, resource_id, space_id, hidden, actor_id)
    values (tg_argv[0], (to_jsonb(new) ->> coalesce(tg_argv[1], 'id'))::uuid, (to_jsonb(new) ->> 'space_id')::uuid,
            now_hidden is not null,
            case when coalesce(current_setting('decidons.hidden_by_reports', true), 'off') = 'on' then null else (select auth.uid()) end);
  end if;
  return null;
end $$;

alter table public.reports enable row level security;
create policy "reporters and the space's moderators see reports" on public.reports for select to authenticated
  using (user_id = (select auth.uid()) or space_id = any ((select private.moderated_space_ids())::uuid[]));
create policy "signed-in people report what they see" on public.reports for insert to authenticated
  with check (user_id = (select auth.uid()) and component_id is not null);
revoke insert, update, delete on public.reports from anon;
revoke update, delete on public.reports from authenticated;
revoke insert on public.reports from authenticated;
grant insert (resource_type, resource_id, reason, details) on public.reports to authenticated;

alter table public.report_counts enable row level security;
create policy "the space's moderators see report counts" on public.report_counts for select to authenticated
  using (space_id = any ((select private.moderated_space_ids())::uuid[]));
revoke insert, update, delete on public.report_counts from anon, authenticated;

alter table public.moderation_decisions enable row level security;
create policy "the space's moderators see moderation decisions" on public.moderation_decisions for select to authenticated
  using (space_id = any ((select private.moderated_space_ids())::uuid[]));
revoke insert, update, delete on public.moderation_decisions from anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Versions: the history of a resource's text, numbered per resource, written by the feature's
-- own triggers (what a version holds, and when one is kept, is the feature's)
-- ---------------------------------------------------------------------------------------------

create table public.versions (
  id bigint generated always as identity primary key,
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  component_id uuid not null references public.components (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  version integer not null,
  -- The versioned fields, as the feature names them (`{"title": …, "body": …}`).
  data jsonb not null,
  editor_id uuid references public.profiles (id) on delete set null,
  -- Null: whoever sees the resource reads its history. Otherwise only these people (a comment's
  -- author) and the space's moderators.
  readers uuid[],
  created_at timestamptz not null default now(),
  unique (resource_type, resource_id, version),
  constraint versions_data_object check (jsonb_typeof(data) = 'object')
);

alter table public.versions enable row level security;
create policy "versions for whoever sees the resource, or for its named readers and the space's moderators" on public.versions
  for select to anon, authenticated
  using (case when readers is null then (select private.resource_visible(resource_type, resource_id))
              else (select auth.uid()) = any (readers) or space_id = any ((select private.moderated_space_ids())::uuid[]) end);
revoke insert, update, delete on public.versions from anon, authenticated;

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
