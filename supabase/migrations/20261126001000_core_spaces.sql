-- Participatory spaces (processes with phases, assemblies), taxonomies, space roles, private
-- members, components and the action log, with the helpers every later policy calls.
-- Translated texts are jsonb {"fr": …, "en": …}.

-- ---------------------------------------------------------------------------------------------
-- Shared checks
-- ---------------------------------------------------------------------------------------------

-- A translated text: an object whose keys are supported locales and whose values are strings.
create or replace function private.is_translated(value jsonb, required boolean default false) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(value) = 'object'
    and not exists (
      select 1 from jsonb_each(value) e
      where e.key not in ('fr', 'en') or jsonb_typeof(e.value) <> 'string' or char_length(e.value #>> '{}') > 100000
    )
    and (not required or exists (select 1 from jsonb_each_text(value) e where btrim(e.value) <> ''))
$$;

create or replace function private.is_object_of_objects(value jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(value) = 'object'
    and not exists (select 1 from jsonb_each(value) e where jsonb_typeof(e.value) <> 'object')
$$;

create or replace function private.is_time_zone(value text) returns boolean
language sql stable set search_path = '' as $$
  select exists (select 1 from pg_catalog.pg_timezone_names t where t.name = value)
$$;

-- An absolute http(s) URL or a path on this site. `//host/…` and `/\host/…` are refused: browsers
-- read them as links to another site.
create or replace function private.is_safe_url(value text) returns boolean
language sql immutable set search_path = '' as $$
  select value is null or (char_length(value) <= 2000 and (value ~ '^https?://[^\s<>"]+$' or value ~ '^/([^/\\\s<>"][^\s<>"]*)?$'))
$$;

-- ---------------------------------------------------------------------------------------------
-- Organization admins (set in the database or the seed, never by self-service)
-- ---------------------------------------------------------------------------------------------

create table public.organization_admins (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now()
);
alter table public.organization_admins enable row level security;

create or replace function private.is_org_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.organization_admins a where a.user_id = (select auth.uid()))
$$;

create policy "admins see who the admins are; others see themselves" on public.organization_admins
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_org_admin()));
revoke all on public.organization_admins from anon;
revoke insert, update, delete on public.organization_admins from authenticated;
grant select on public.organization_admins to authenticated;

alter table public.organization
  add column logo_url text,
  add column colors jsonb not null default '{"primary": "#000091", "secondary": "#e1000f"}',
  add column terms_of_service jsonb not null default '{}',
  add column time_zone text not null default 'Europe/Paris',
  add constraint organization_logo_url_safe check (private.is_safe_url(logo_url)),
  add constraint organization_colors_valid check (
    jsonb_typeof(colors) = 'object'
    and coalesce(colors ->> 'primary', '#000000') ~ '^#[0-9a-fA-F]{6}$'
    and coalesce(colors ->> 'secondary', '#000000') ~ '^#[0-9a-fA-F]{6}$'),
  add constraint organization_tos_translated check (private.is_translated(terms_of_service)),
  add constraint organization_contact_email check (contact_email is null or contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  add constraint organization_time_zone check (private.is_time_zone(time_zone));

create policy "org admins edit the organization" on public.organization
  for update to authenticated
  using ((select private.is_org_admin()))
  with check ((select private.is_org_admin()));
grant update (name, description, default_locale, available_locales, contact_email, logo_url, colors, terms_of_service, time_zone)
  on public.organization to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Taxonomies: hierarchical categories and territorial scopes (e.g. "Quartiers" → districts)
-- ---------------------------------------------------------------------------------------------

create table public.taxonomies (
  id uuid primary key default gen_random_uuid(),
  parent_id uuid references public.taxonomies (id) on delete cascade,
  name jsonb not null,
  weight integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint taxonomies_name_translated check (private.is_translated(name, true)),
  constraint taxonomies_not_own_parent check (parent_id is distinct from id)
);
create index taxonomies_parent_idx on public.taxonomies (parent_id, weight);
create trigger taxonomies_touch before update on public.taxonomies
  for each row execute function private.touch_updated_at();

-- The hierarchy must not loop (a loop would hang every recursive listing).
create or replace function private.check_taxonomy_parent() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.parent_id is not null and exists (
    with recursive up(id, parent_id) as (
      select t.id, t.parent_id from public.taxonomies t where t.id = new.parent_id
      union
      select t.id, t.parent_id from public.taxonomies t join up on t.id = up.parent_id
    ) select 1 from up where up.id = new.id
  ) then
    raise exception 'a taxonomy cannot be its own ancestor' using errcode = '23514', constraint = 'taxonomies_parent_no_cycle';
  end if;
  return new;
end $$;
create trigger taxonomies_check_parent before insert or update of parent_id on public.taxonomies
  for each row execute function private.check_taxonomy_parent();

alter table public.taxonomies enable row level security;
create policy "taxonomies are public" on public.taxonomies for select to anon, authenticated using (true);
create policy "org admins create taxonomies" on public.taxonomies for insert to authenticated with check ((select private.is_org_admin()));
create policy "org admins edit taxonomies" on public.taxonomies for update to authenticated
  using ((select private.is_org_admin())) with check ((select private.is_org_admin()));
create policy "org admins delete taxonomies" on public.taxonomies for delete to authenticated using ((select private.is_org_admin()));
revoke insert, update, delete on public.taxonomies from anon;
revoke update on public.taxonomies from authenticated;
grant update (parent_id, name, weight) on public.taxonomies to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Spaces: processes and assemblies share one table (components, roles and members point at it)
-- ---------------------------------------------------------------------------------------------

create table public.spaces (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  slug text not null,
  title jsonb not null,
  subtitle jsonb not null default '{}',
  short_description jsonb not null default '{}',
  description jsonb not null default '{}',
  hero_image_url text,
  start_date date,
  end_date date,
  promoted boolean not null default false,
  published_at timestamptz,
  private boolean not null default false,
  -- assemblies only
  purpose jsonb not null default '{}',
  composition jsonb not null default '{}',
  assembly_type text,
  parent_id uuid references public.spaces (id) on delete set null,
  weight integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint spaces_kind check (kind in ('process', 'assembly')),
  constraint spaces_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 80),
  constraint spaces_slug_unique unique (kind, slug),
  constraint spaces_title_translated check (private.is_translated(title, true)),
  constraint spaces_texts_translated check (
    private.is_translated(subtitle) and private.is_translated(short_description) and private.is_translated(description)
    and private.is_translated(purpose) and private.is_translated(composition)),
  constraint spaces_hero_image_url_safe check (private.is_safe_url(hero_image_url)),
  constraint spaces_dates_ordered check (end_date is null or start_date is null or end_date >= start_date),
  constraint spaces_parent_only_for_assemblies check (parent_id is null or kind = 'assembly'),
  constraint spaces_not_own_parent check (parent_id is distinct from id),
  constraint spaces_assembly_type_length check (assembly_type is null or char_length(assembly_type) <= 100)
);
create index spaces_listing_idx on public.spaces (kind, published_at, weight);
create index spaces_parent_idx on public.spaces (parent_id) where parent_id is not null;
create trigger spaces_touch before update on public.spaces
  for each row execute function private.touch_updated_at();

-- A parent assembly must be an assembly, and the chain must not loop. Security definer: the check
-- must see the whole chain, including spaces the editing admin cannot see.
create or replace function private.check_space_parent() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.parent_id is not null then
    if not exists (select 1 from public.spaces s where s.id = new.parent_id and s.kind = 'assembly') then
      raise exception 'the parent of an assembly must be an assembly' using errcode = '23514', constraint = 'spaces_parent_is_assembly';
    end if;
    if exists (
      with recursive up(id, parent_id) as (
        select s.id, s.parent_id from public.spaces s where s.id = new.parent_id
        union
        select s.id, s.parent_id from public.spaces s join up on s.id = up.parent_id
      ) select 1 from up where up.id = new.id
    ) then
      raise exception 'an assembly cannot be its own ancestor' using errcode = '23514', constraint = 'spaces_parent_no_cycle';
    end if;
  end if;
  return new;
end $$;
create trigger spaces_check_parent before insert or update of parent_id on public.spaces
  for each row execute function private.check_space_parent();

create table public.space_taxonomies (
  space_id uuid not null references public.spaces (id) on delete cascade,
  taxonomy_id uuid not null references public.taxonomies (id) on delete cascade,
  primary key (space_id, taxonomy_id)
);
create index space_taxonomies_taxonomy_idx on public.space_taxonomies (taxonomy_id);

-- ---------------------------------------------------------------------------------------------
-- Space roles and private members
-- ---------------------------------------------------------------------------------------------

create table public.space_roles (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null,
  created_at timestamptz not null default now(),
  primary key (space_id, user_id, role),
  constraint space_roles_role check (role in ('admin', 'moderator', 'collaborator', 'evaluator'))
);
create index space_roles_user_idx on public.space_roles (user_id);

create table public.space_members (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (space_id, user_id)
);
create index space_members_user_idx on public.space_members (user_id);

-- True when the current user holds `role` in the space. Space admins hold every role there, and
-- organization admins hold every role everywhere.
create or replace function private.has_space_role(space uuid, role text) returns boolean
language sql stable security definer set search_path = '' as $$
  select (select auth.uid()) is not null and (
    exists (select 1 from public.organization_admins a where a.user_id = (select auth.uid()))
    or exists (
      select 1 from public.space_roles r
      where r.space_id = space and r.user_id = (select auth.uid()) and (r.role = has_space_role.role or r.role = 'admin')
    ))
$$;

-- Any role at all in the space (or organization admin).
create or replace function private.has_any_space_role(space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select (select auth.uid()) is not null and (
    exists (select 1 from public.organization_admins a where a.user_id = (select auth.uid()))
    or exists (select 1 from public.space_roles r where r.space_id = space and r.user_id = (select auth.uid())))
$$;

-- Who may see a space: unpublished ones only its admins and collaborators (and organization
-- admins); private ones only their members and people with a role. Takes the row's own values so
-- that the spaces policy never reads the table it guards: an INSERT … RETURNING checks the new row
-- before a query inside a stable function could see it.
create or replace function private.can_view_space_row(space uuid, published_at timestamptz, is_private boolean) returns boolean
language sql stable security definer set search_path = '' as $$
  select (published_at is not null and not is_private)
    or private.has_space_role(space, 'collaborator')
    or (published_at is not null and (
      private.has_any_space_role(space)
      or exists (select 1 from public.space_members m where m.space_id = space and m.user_id = (select auth.uid()))))
$$;

create or replace function private.can_view_space(space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.spaces s
    where s.id = space and private.can_view_space_row(s.id, s.published_at, s.private))
$$;

alter table public.spaces enable row level security;
create policy "visible spaces" on public.spaces for select to anon, authenticated
  using ((select private.can_view_space_row(id, published_at, private)));
create policy "org admins create spaces" on public.spaces for insert to authenticated
  with check ((select private.is_org_admin()));
create policy "space admins edit their space" on public.spaces for update to authenticated
  using ((select private.has_space_role(id, 'admin'))) with check ((select private.has_space_role(id, 'admin')));
create policy "org admins delete spaces" on public.spaces for delete to authenticated
  using ((select private.is_org_admin()));
revoke insert, update, delete on public.spaces from anon;
revoke update on public.spaces from authenticated;
grant update (slug, title, subtitle, short_description, description, hero_image_url, start_date, end_date, promoted,
  published_at, private, purpose, composition, assembly_type, parent_id, weight) on public.spaces to authenticated;

alter table public.space_taxonomies enable row level security;
create policy "taxonomies of visible spaces" on public.space_taxonomies for select to anon, authenticated
  using ((select private.can_view_space(space_id)));
create policy "space admins tag their space" on public.space_taxonomies for insert to authenticated
  with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins untag their space" on public.space_taxonomies for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.space_taxonomies from anon;
revoke update on public.space_taxonomies from authenticated;

alter table public.space_roles enable row level security;
create policy "roles are seen by the space's admins and by the holder" on public.space_roles for select to authenticated
  using (user_id = (select auth.uid()) or (select private.has_space_role(space_id, 'admin')));
create policy "space admins grant roles" on public.space_roles for insert to authenticated
  with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins revoke roles" on public.space_roles for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));
revoke all on public.space_roles from anon;
revoke update on public.space_roles from authenticated;

alter table public.space_members enable row level security;
create policy "members are seen by the space's admins and by the member" on public.space_members for select to authenticated
  using (user_id = (select auth.uid()) or (select private.has_space_role(space_id, 'admin')));
create policy "space admins add members" on public.space_members for insert to authenticated
  with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins remove members" on public.space_members for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));
revoke all on public.space_members from anon;
revoke update on public.space_members from authenticated;

-- ---------------------------------------------------------------------------------------------
-- Phases of a process: ordered, exactly one active
-- ---------------------------------------------------------------------------------------------

create table public.phases (
  id uuid primary key default gen_random_uuid(),
  space_id uuid not null references public.spaces (id) on delete cascade,
  position integer not null,
  title jsonb not null,
  description jsonb not null default '{}',
  start_date date,
  end_date date,
  active boolean not null default false,
  cta_text jsonb not null default '{}',
  cta_path text,
  -- Set once the start date has been reached and acted on, so a later manual activation stands.
  date_activation_done boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint phases_title_translated check (private.is_translated(title, true)),
  constraint phases_texts_translated check (private.is_translated(description) and private.is_translated(cta_text)),
  constraint phases_dates_ordered check (end_date is null or start_date is null or end_date >= start_date),
  constraint phases_cta_path_safe check (private.is_safe_url(cta_path)),
  constraint phases_position_unique unique (space_id, position) deferrable initially deferred
);
create unique index phases_one_active on public.phases (space_id) where active;
create trigger phases_touch before update on public.phases
  for each row execute function private.touch_updated_at();

-- Security definer: these are integrity rules, they must see every phase of the process.
create or replace function private.phases_before_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  today date := (select (now() at time zone o.time_zone)::date from public.organization o limit 1);
begin
  if not exists (select 1 from public.spaces s where s.id = new.space_id and s.kind = 'process') then
    raise exception 'only participatory processes have phases' using errcode = '23514', constraint = 'phases_only_in_processes';
  end if;
  -- A process's first phase is its active one.
  if tg_op = 'INSERT' and not exists (select 1 from public.phases p where p.space_id = new.space_id) then
    new.active := true;
  end if;
  -- Only a start date still to come is acted on by the date activation.
  if tg_op = 'INSERT' or new.start_date is distinct from old.start_date then
    new.date_activation_done := new.start_date is null or new.start_date < coalesce(today, current_date);
  end if;
  return new;
end $$;
create trigger phases_before_write before insert or update on public.phases
  for each row execute function private.phases_before_write();

-- Deleting the active phase hands activity to the first remaining one. Only the space's admins
-- can delete a phase; the handover itself must not depend on what they can see.
create or replace function private.phases_after_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.active then
    update public.phases set active = true
    where id = (select p.id from public.phases p where p.space_id = old.space_id order by p.position limit 1);
  end if;
  return old;
end $$;
create trigger phases_after_delete after delete on public.phases
  for each row execute function private.phases_after_delete();

-- At commit: a process with phases has exactly one active phase.
create or replace function private.phases_check_one_active() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  sid uuid := coalesce(new.space_id, old.space_id);
begin
  if exists (select 1 from public.phases p where p.space_id = sid)
     and (select count(*) from public.phases p where p.space_id = sid and p.active) <> 1 then
    raise exception 'a process must have exactly one active phase' using errcode = '23514', constraint = 'phases_exactly_one_active';
  end if;
  return null;
end $$;
create constraint trigger phases_exactly_one_active after insert or update or delete on public.phases
  deferrable initially deferred for each row execute function private.phases_check_one_active();

-- Makes `phase` the active phase of its process (the previous one stops being active). Runs as
-- the caller, so the phases policies decide: a phase the caller cannot see is "not found"
-- (P0002), one they cannot edit is refused (42501) rather than silently left alone.
create or replace function public.activate_phase(phase uuid) returns void
language plpgsql security invoker set search_path = '' as $$
declare
  sid uuid;
  is_active boolean;
  n integer;
begin
  select p.space_id, p.active into sid, is_active from public.phases p where p.id = phase;
  if sid is null then
    raise exception 'phase not found' using errcode = 'P0002';
  end if;
  if is_active then
    return;
  end if;
  update public.phases set active = false where space_id = sid and active and id <> phase;
  update public.phases set active = true where id = phase and not active;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'not allowed to change the phases of this process' using errcode = '42501';
  end if;
end $$;
revoke all on function public.activate_phase(uuid) from public, anon;
grant execute on function public.activate_phase(uuid) to authenticated, service_role;

-- Activates, in every process, the latest phase whose start date has arrived and not yet been
-- acted on. Run by the `spaces.activate-phases` job; returns the phases it activated.
create or replace function private.activate_due_phases() returns setof uuid
language plpgsql security definer set search_path = '' as $$
declare
  today date := coalesce((select (now() at time zone o.time_zone)::date from public.organization o limit 1), current_date);
  due record;
begin
  for due in
    select distinct on (p.space_id) p.id, p.space_id
    from public.phases p
    where not p.date_activation_done and p.start_date <= today
    order by p.space_id, p.start_date desc, p.position desc
  loop
    update public.phases set active = false where space_id = due.space_id and active and id <> due.id;
    update public.phases set active = true where id = due.id and not active;
    update public.phases set date_activation_done = true
    where space_id = due.space_id and not date_activation_done and start_date <= today;
    return next due.id;
  end loop;
end $$;
revoke all on function private.activate_due_phases() from public, anon, authenticated;
grant execute on function private.activate_due_phases() to service_role;

alter table public.phases enable row level security;
create policy "phases of visible spaces" on public.phases for select to anon, authenticated
  using ((select private.can_view_space(space_id)));
create policy "space admins add phases" on public.phases for insert to authenticated
  with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins edit phases" on public.phases for update to authenticated
  using ((select private.has_space_role(space_id, 'admin'))) with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins delete phases" on public.phases for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.phases from anon;
revoke update on public.phases from authenticated;
grant update (position, title, description, start_date, end_date, active, cta_text, cta_path) on public.phases to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Components: one feature instance in a space
-- ---------------------------------------------------------------------------------------------

-- The features the database knows; each feature's migration registers itself and its actions.
create table public.component_features (
  feature text primary key,
  constraint component_features_key check (feature ~ '^[a-z][a-z_]{1,39}$')
);
alter table public.component_features enable row level security;
create policy "features are public" on public.component_features for select to anon, authenticated using (true);
revoke insert, update, delete on public.component_features from anon, authenticated;

-- How an action of a feature is gated by settings: a global switch, a per-phase switch and a
-- per-phase block (any may be absent). `component_allows` reads this; the manifests declare the
-- same mapping and a test checks that both agree.
create table public.component_actions (
  feature text not null references public.component_features (feature) on delete cascade,
  action text not null,
  global_enabled_setting text,
  phase_enabled_setting text,
  phase_blocked_setting text,
  primary key (feature, action),
  constraint component_actions_action check (action ~ '^[a-z][a-z_]{1,39}$')
);
alter table public.component_actions enable row level security;
create policy "actions are public" on public.component_actions for select to anon, authenticated using (true);
revoke insert, update, delete on public.component_actions from anon, authenticated;

create table public.components (
  id uuid primary key default gen_random_uuid(),
  space_id uuid not null references public.spaces (id) on delete cascade,
  feature text not null references public.component_features (feature),
  name jsonb not null,
  weight integer not null default 0,
  published_at timestamptz,
  settings jsonb not null default '{}',
  -- {"<phase id>": {…}, "default": {…}}: the settings of each phase, "default" for spaces
  -- without phases and for phases created after the component.
  phase_settings jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint components_name_translated check (private.is_translated(name, true)),
  constraint components_settings_object check (jsonb_typeof(settings) = 'object' and pg_column_size(settings) < 65536),
  constraint components_phase_settings_object check (
    private.is_object_of_objects(phase_settings) and pg_column_size(phase_settings) < 262144)
);
create index components_space_idx on public.components (space_id, weight);
create trigger components_touch before update on public.components
  for each row execute function private.touch_updated_at();

-- Who may see a component: whoever sees its space, once it is published; before that, the
-- space's admins and collaborators. Row values in, as for spaces (INSERT … RETURNING).
create or replace function private.can_view_component_row(space uuid, published_at timestamptz) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.can_view_space(space)
    and (published_at is not null or private.has_space_role(space, 'collaborator'))
$$;

create or replace function private.can_view_component(component uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.components c
    where c.id = component and private.can_view_component_row(c.space_id, c.published_at))
$$;

-- The settings in force for a component (its active phase's, else "default"), whoever asks: for
-- triggers, which act for whoever wrote. Never granted to the API roles.
create or replace function private.active_phase_settings(component uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(
    c.phase_settings -> (select p.id::text from public.phases p where p.space_id = c.space_id and p.active),
    c.phase_settings -> 'default',
    '{}'::jsonb)
  from public.components c
  where c.id = component
$$;
revoke all on function private.active_phase_settings(uuid) from public, anon, authenticated;

-- The same for the caller's eyes only: the settings of a private space's component are private too.
create or replace function private.component_phase_settings(component uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select private.active_phase_settings(component) where private.can_view_component(component)
$$;

-- May the current user perform `action` in this component now? The component and its space must
-- be published and visible to them (a preview is not participation), and the action's switches
-- (global, active phase) on and not blocked. A switch is on only when it is JSON `true` (or the
-- string "true"): a malformed setting closes the action instead of breaking every policy that
-- asks. Signed-in requirements and per-resource rules stay in each table's policies.
-- Written in plpgsql for speed: this is asked by the policies of the hottest writes (every vote,
-- every like, every comment). An SQL function nesting the visibility helpers was planned again on
-- every call (about 2 ms of a 2.8 ms support); this answers the common case (published, in a
-- public published space) with one query whose plan is kept for the session and asks who the
-- caller is only for private spaces. tests/proposals/db-gate.test.ts compares its answers with
-- the SQL definition.
create or replace function private.component_allows(component uuid, action text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  r record;
  ps jsonb;
begin
  select c.space_id, c.published_at as component_published_at, c.settings, c.phase_settings,
         s.published_at as space_published_at, s.private as space_private,
         a.global_enabled_setting, a.phase_enabled_setting, a.phase_blocked_setting,
         (select ph.id::text from public.phases ph where ph.space_id = c.space_id and ph.active) as phase_id
  into r
  from public.components c
  join public.spaces s on s.id = c.space_id
  join public.component_actions a on a.feature = c.feature and a.action = component_allows.action
  where c.id = component;
  -- A preview is not participation: the component and its space must be published.
  if not found or r.component_published_at is null or r.space_published_at is null then
    return false;
  end if;
  -- Published and public: everyone sees it; otherwise ask who the caller is.
  if r.space_private and not private.can_view_component_row(r.space_id, r.component_published_at) then
    return false;
  end if;
  -- As `component_phase_settings`: the active phase's settings, else "default". A switch is on
  -- only when it is JSON true.
  ps := coalesce(r.phase_settings -> r.phase_id, r.phase_settings -> 'default', '{}');
  return (r.global_enabled_setting is null or coalesce(r.settings ->> r.global_enabled_setting = 'true', false))
     and (r.phase_enabled_setting is null or coalesce(ps ->> r.phase_enabled_setting = 'true', false))
     and (r.phase_blocked_setting is null or not coalesce(ps ->> r.phase_blocked_setting = 'true', false));
end $$;

alter table public.components enable row level security;
create policy "visible components" on public.components for select to anon, authenticated
  using ((select private.can_view_component_row(space_id, published_at)));
create policy "space admins add components" on public.components for insert to authenticated
  with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins configure components" on public.components for update to authenticated
  using ((select private.has_space_role(space_id, 'admin'))) with check ((select private.has_space_role(space_id, 'admin')));
create policy "space admins remove components" on public.components for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.components from anon;
revoke update on public.components from authenticated;
grant update (name, weight, published_at, settings, phase_settings) on public.components to authenticated;

grant execute on function
  private.is_org_admin(), private.has_space_role(uuid, text), private.has_any_space_role(uuid),
  private.can_view_space(uuid), private.can_view_space_row(uuid, timestamptz, boolean),
  private.can_view_component(uuid), private.can_view_component_row(uuid, timestamptz), private.component_phase_settings(uuid),
  private.component_allows(uuid, text), private.is_translated(jsonb, boolean), private.is_safe_url(text)
  to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Action log: append-only, written by triggers so no admin action escapes it
-- ---------------------------------------------------------------------------------------------

create table public.action_log (
  id bigint generated always as identity primary key,
  -- No foreign keys: the log outlives the people and spaces it names (a cascade would have to
  -- update it, and it is append-only).
  actor_id uuid,
  action text not null,
  resource_type text not null,
  resource_id text,
  space_id uuid,
  visibility text not null default 'admin-only',
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  constraint action_log_visibility check (visibility in ('admin-only', 'public-only', 'all', 'private-only'))
);
create index action_log_created_idx on public.action_log (created_at desc);
create index action_log_space_idx on public.action_log (space_id, created_at desc);
create index action_log_actor_idx on public.action_log (actor_id, created_at desc);

alter table public.action_log enable row level security;
create policy "org admins read the whole log; space admins their space's" on public.action_log for select to authenticated
  using ((select private.is_org_admin()) or (space_id is not null and (select private.has_space_role(space_id, 'admin'))));
revoke all on public.action_log from anon;
revoke insert, update, delete, truncate on public.action_log from authenticated, service_role;
grant select on public.action_log to authenticated;

create or replace function private.action_log_is_append_only() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'the action log is append-only' using errcode = '42501';
end $$;
create trigger action_log_append_only before update or delete on public.action_log
  for each row execute function private.action_log_is_append_only();
create trigger action_log_no_truncate before truncate on public.action_log
  for each statement execute function private.action_log_is_append_only();

-- Records a change to an admin-managed table. The action name says what happened in words an
-- admin reads (publish, unpublish, activate…), `data` lists the changed columns.
create or replace function private.log_admin_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  rec jsonb := to_jsonb(coalesce(new, old));
  prev jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) else null end;
  act text := lower(tg_op);
  changed text[];
  space uuid;
  rid text;
begin
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(k order by k), '{}') into changed
    from jsonb_object_keys(rec) k
    where k not in ('updated_at', 'date_activation_done') and rec -> k is distinct from prev -> k;
    if cardinality(changed) = 0 then
      return null;
    end if;
    if 'published_at' = any (changed) then
      act := case when rec ->> 'published_at' is null then 'unpublish' else 'publish' end;
    elsif tg_table_name = 'phases' and changed = array['active'] then
      if not (rec ->> 'active')::boolean then
        return null; -- the activation of the next phase is the event worth logging
      end if;
      act := 'activate';
    end if;
  end if;
  -- Deleting a space (or a taxonomy) deletes what hangs from it: that one deletion is the admin's
  -- action, the cascaded rows are not logged one by one.
  if tg_op = 'DELETE' and tg_table_name <> 'spaces' and (
    (rec ? 'space_id' and not exists (select 1 from public.spaces s where s.id = (rec ->> 'space_id')::uuid))
    or (tg_table_name = 'space_taxonomies' and not exists (select 1 from public.taxonomies t where t.id = (rec ->> 'taxonomy_id')::uuid))
    or (tg_table_name = 'taxonomies' and rec ->> 'parent_id' is not null
        and not exists (select 1 from public.taxonomies t where t.id = (rec ->> 'parent_id')::uuid))
  ) then
    return null;
  end if;
  space := case
    when tg_table_name = 'spaces' then (rec ->> 'id')::uuid
    when rec ? 'space_id' then (rec ->> 'space_id')::uuid
    -- A feature's own rows (a page…) belong to the space of their component.
    when rec ? 'component_id' then (select c.space_id from public.components c where c.id = (rec ->> 'component_id')::uuid)
  end;
  rid := coalesce(rec ->> 'id', rec ->> 'component_id', rec ->> 'user_id', rec ->> 'taxonomy_id');
  insert into public.action_log (actor_id, action, resource_type, resource_id, space_id, visibility, data)
  values (
    (select auth.uid()),
    act,
    tg_table_name,
    rid,
    space,
    'admin-only',
    jsonb_strip_nulls(jsonb_build_object(
      'changed', changed,
      'title', coalesce(rec -> 'title', rec -> 'name'),
      'slug', rec -> 'slug',
      'kind', rec -> 'kind',
      'feature', rec -> 'feature',
      'role', rec -> 'role',
      'user_id', rec -> 'user_id',
      'via', case when (select auth.uid()) is null then 'system' end))
  );
  return null;
end $$;

create trigger spaces_log after insert or update or delete on public.spaces
  for each row execute function private.log_admin_change();
create trigger phases_log after insert or update or delete on public.phases
  for each row execute function private.log_admin_change();
create trigger components_log after insert or update or delete on public.components
  for each row execute function private.log_admin_change();
create trigger space_roles_log after insert or delete on public.space_roles
  for each row execute function private.log_admin_change();
create trigger space_members_log after insert or delete on public.space_members
  for each row execute function private.log_admin_change();
create trigger space_taxonomies_log after insert or delete on public.space_taxonomies
  for each row execute function private.log_admin_change();
create trigger taxonomies_log after insert or update or delete on public.taxonomies
  for each row execute function private.log_admin_change();
create trigger organization_log after update on public.organization
  for each row execute function private.log_admin_change();
