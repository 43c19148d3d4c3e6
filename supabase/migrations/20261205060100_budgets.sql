-- The `budgets` feature (Decidim's decidim-budgets): a component holds one or more budgets (one
-- per district and one city-wide, say), each with its envelope, its vote rule and its projects;
-- residents fill a ballot within the envelope and check it out. This file is the core: the
-- registration, budgets, projects and their links, the `project` resource type, who sees and
-- who writes what. Ballots and their rules follow in …060200_budgets_ballots.sql, the tally and
-- the results in …060300_budgets_results.sql.

insert into public.component_features (feature) values ('budgets') on conflict do nothing;

-- The manifest (src/features/budgets/manifest.ts) declares the same gating. `vote` has no switch
-- here: the per-phase `votes` setting has three values (disabled, enabled, finished), which the
-- ballot rules read themselves; `component_allows(…, 'vote')` still answers for visibility and
-- for the verification the component may require.
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting) values
  ('budgets', 'vote', null, null, null),
  ('budgets', 'comment', 'comments_enabled', null, 'comments_blocked')
on conflict (feature, action) do update
  set global_enabled_setting = excluded.global_enabled_setting,
      phase_enabled_setting = excluded.phase_enabled_setting,
      phase_blocked_setting = excluded.phase_blocked_setting;

-- ---------------------------------------------------------------------------------------------
-- Settings, as the rules read them
-- ---------------------------------------------------------------------------------------------

-- Is the caller a person through the API (rather than a trusted trigger, function or job)?
create or replace function private.budgets_api_caller() returns boolean
language sql stable set search_path = '' as $$
  select current_user in ('anon', 'authenticated')
$$;

-- The per-phase `votes` setting of a component in force now: disabled, enabled or finished (a
-- missing or malformed value is disabled).
create or replace function private.budgets_votes(component uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case when s ->> 'votes' in ('enabled', 'finished') then s ->> 'votes' else 'disabled' end
  from (select private.active_phase_settings(component) as s) x
$$;

-- Are vote counts shown now (`show_votes` in the active phase)?
create or replace function private.budgets_show_votes(component uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(private.active_phase_settings(component) ->> 'show_votes' = 'true', false)
$$;

-- The component's workflow: `one` budget only, `all` budgets, or the budgets of the voter's
-- `district` (and those of no district: the city-wide ones).
create or replace function private.budgets_workflow(component uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case when c.settings ->> 'workflow' in ('one', 'all', 'district') then c.settings ->> 'workflow' else 'all' end
  from public.components c where c.id = component
$$;

-- ---------------------------------------------------------------------------------------------
-- Budgets
-- ---------------------------------------------------------------------------------------------

create table public.budgets (
  id uuid primary key default gen_random_uuid(),
  component_id uuid not null references public.components (id) on delete cascade,
  title jsonb not null,
  description jsonb not null default '{}',
  -- The envelope, in whole euros.
  total_budget bigint not null,
  -- The district (or theme) it is for; none: city-wide.
  taxonomy_id uuid references public.taxonomies (id) on delete set null,
  weight integer not null default 0,
  -- Exactly one vote rule is in force (Decidim's three, mutually exclusive): spend at least
  -- `threshold_percent` % of the envelope; choose at least `minimum_projects` projects (within
  -- the envelope); choose between `range_min` and `range_max` projects, cost ignored. The other
  -- rules' numbers are kept, unused, so that switching back restores them.
  vote_rule text not null default 'threshold_percent',
  threshold_percent integer not null default 70,
  minimum_projects integer not null default 1,
  range_min integer not null default 1,
  range_max integer not null default 5,
  -- How the tally proposes the selection: greedy by votes, or the Method of Equal Shares.
  selection_method text not null default 'greedy',
  -- A budget imported from a Pabulib file (its META section): closed to votes, kept for audit.
  imported jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint budgets_title_translated check (private.is_translated(title, true)),
  constraint budgets_description_translated check (private.is_translated(description)),
  constraint budgets_total_budget check (total_budget between 1 and 1000000000000),
  constraint budgets_vote_rule check (vote_rule in ('threshold_percent', 'minimum_projects', 'projects_range')),
  constraint budgets_threshold_percent check (threshold_percent between 1 and 100),
  constraint budgets_minimum_projects check (minimum_projects between 1 and 1000),
  constraint budgets_range check (range_min between 1 and 1000 and range_max between range_min and 1000),
  constraint budgets_selection_method check (selection_method in ('greedy', 'equal_shares')),
  constraint budgets_imported check (imported is null or jsonb_typeof(imported) = 'object')
);
create index budgets_component_idx on public.budgets (component_id, weight);
create trigger budgets_touch before update on public.budgets
  for each row execute function private.touch_updated_at();

-- Only components of the `budgets` feature have budgets.
create or replace function private.budgets_component_is_budgets() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.components c where c.id = new.component_id and c.feature = 'budgets') then
    raise exception 'a budget belongs to a budgets component' using errcode = '23514', constraint = 'budgets_component_feature';
  end if;
  return new;
end $$;
create trigger budgets_component_is_budgets before insert or update of component_id on public.budgets
  for each row execute function private.budgets_component_is_budgets();

-- ---------------------------------------------------------------------------------------------
-- Projects
-- ---------------------------------------------------------------------------------------------

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  budget_id uuid not null references public.budgets (id) on delete cascade,
  -- Copied from the budget by the trigger: policies and lists read it without a join.
  component_id uuid not null references public.components (id) on delete cascade,
  title jsonb not null,
  description jsonb not null default '{}',
  cost bigint not null,
  taxonomy_id uuid references public.taxonomies (id) on delete set null,
  address text,
  latitude double precision,
  longitude double precision,
  weight integer not null default 0,
  -- Checked-out ballots that hold it. The API roles cannot select it: shown only where the
  -- phase shows votes (read through `budgets_project_votes`).
  votes_count integer not null default 0,
  -- The winners, as the admins confirm them after the tally.
  selected_at timestamptz,
  -- The project's id in a Pabulib file it was imported from (and exported with).
  source_ref text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint projects_title_translated check (private.is_translated(title, true)),
  constraint projects_description_translated check (private.is_translated(description)),
  constraint projects_cost check (cost between 1 and 1000000000000),
  constraint projects_address_length check (address is null or char_length(address) <= 300),
  constraint projects_point check (
    (latitude is null and longitude is null)
    or (latitude between -90 and 90 and longitude between -180 and 180)),
  constraint projects_votes_count check (votes_count >= 0),
  constraint projects_source_ref check (source_ref is null or char_length(source_ref) <= 100)
);
create index projects_budget_idx on public.projects (budget_id, weight, id);
create index projects_component_idx on public.projects (component_id);
create index projects_budget_cost_idx on public.projects (budget_id, cost, id);
create index projects_budget_votes_idx on public.projects (budget_id, votes_count desc, id);
create index projects_taxonomy_idx on public.projects (taxonomy_id) where taxonomy_id is not null;
-- Touched by content changes only: a vote moves `votes_count`, and an `updated_at` moving at each
-- checkout would tell every vote as it comes while the phase hides them.
create trigger projects_touch before update of budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight, selected_at
  on public.projects for each row execute function private.touch_updated_at();

-- Linked resources of the shared layer (the proposals a project came from, say): any registered
-- type, checked against the registry, with what the project page shows of them (their title and
-- their page's path after the locale, taken when linked), so that showing a link needs nothing
-- of the linked feature; the row is read only where the resource itself may be seen.
create table public.project_links (
  project_id uuid not null references public.projects (id) on delete cascade,
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  title text not null default '',
  path text,
  created_at timestamptz not null default now(),
  primary key (project_id, resource_type, resource_id),
  constraint project_links_title check (char_length(title) <= 300),
  constraint project_links_path check (path is null or (char_length(path) <= 500 and path ~ '^[a-z0-9/_-]+$'))
);
create index project_links_resource_idx on public.project_links (resource_type, resource_id);

-- ---------------------------------------------------------------------------------------------
-- Who is who
-- ---------------------------------------------------------------------------------------------

create or replace function private.budgets_space(component uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select c.space_id from public.components c where c.id = component
$$;

create or replace function private.budgets_admin(component uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.has_space_role(private.budgets_space(component), 'admin')
$$;

-- ---------------------------------------------------------------------------------------------
-- Rules on write (admins')
-- ---------------------------------------------------------------------------------------------

-- Once people have ballots in a budget, its envelope and its rule stay as they voted under
-- (a lower envelope would leave ballots beyond it, a stricter rule would lock checked-out ones).
-- (plpgsql: the ballots come in the next migration.)
create or replace function private.budgets_has_ballots(budget uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select 1 from public.ballots b where b.budget_id = budget);
end $$;
revoke all on function private.budgets_has_ballots(uuid) from public, anon, authenticated;
create or replace function private.budgets_before_update() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (new.total_budget, new.vote_rule, new.threshold_percent, new.minimum_projects, new.range_min, new.range_max, new.component_id)
     is distinct from (old.total_budget, old.vote_rule, old.threshold_percent, old.minimum_projects, old.range_min, old.range_max, old.component_id)
     and private.budgets_has_ballots(old.id) then
    raise exception 'the envelope and the rule stay as people voted' using errcode = '23514', constraint = 'budgets_rules_locked';
  end if;
  return new;
end $$;

-- Facts the project rules need about rows their writer may not see (other people's ballots).
create or replace function private.budgets_budget_component(budget uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select b.component_id from public.budgets b where b.id = budget
$$;
-- (Asked by the projects trigger as the admin who writes: it answers admins and the system only,
-- so nobody else learns whether a project has votes while the phase hides them.)
create or replace function private.budgets_project_on_ballots(project uuid, checked_out_only boolean) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select 1 from public.ballot_lines l join public.ballots b on b.id = l.ballot_id
                 where l.project_id = project and (not checked_out_only or b.checked_out_at is not null))
    and ((select auth.uid()) is null
         or private.budgets_admin((select p.component_id from public.projects p where p.id = project)));
end $$;
revoke all on function private.budgets_project_on_ballots(uuid, boolean) from public, anon;
grant execute on function private.budgets_project_on_ballots(uuid, boolean) to authenticated, service_role;

-- The project's component is its budget's; its cost and budget stay once it is on a ballot
-- (the envelope of those ballots was checked against it); a project on a checked-out ballot is
-- not deleted (the vote would change after the fact), unless its whole budget goes. Runs as the
-- writer (to tell a person's write from the counters the definer functions keep).
create or replace function private.projects_before_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    if private.budgets_budget_component(old.budget_id) is not null and private.budgets_project_on_ballots(old.id, true) then
      raise exception 'a project people voted for stays' using errcode = '23514', constraint = 'projects_voted';
    end if;
    return old;
  end if;
  new.component_id := private.budgets_budget_component(new.budget_id);
  if tg_op = 'UPDATE' then
    if (new.cost, new.budget_id) is distinct from (old.cost, old.budget_id) and private.budgets_project_on_ballots(old.id, false) then
      raise exception 'the cost of a project on ballots stays' using errcode = '23514', constraint = 'projects_cost_locked';
    end if;
    if private.budgets_api_caller() then
      new.votes_count := old.votes_count;
      new.source_ref := old.source_ref;
    end if;
  elsif private.budgets_api_caller() then
    new.votes_count := 0;
    new.source_ref := null;
  end if;
  return new;
end $$;

create trigger budgets_before_update before update on public.budgets
  for each row execute function private.budgets_before_update();
create trigger projects_before_write before insert or update or delete on public.projects
  for each row execute function private.projects_before_write();

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

alter table public.budgets enable row level security;
-- The visible components once per query (an init plan), not a visibility check per row: a
-- budget of 1,000 projects is read at the cost of one lookup.
create policy "budgets of visible components" on public.budgets for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[]));
create policy "space admins create budgets" on public.budgets for insert to authenticated
  with check ((select private.budgets_admin(component_id)));
create policy "space admins edit budgets" on public.budgets for update to authenticated
  using ((select private.budgets_admin(component_id))) with check ((select private.budgets_admin(component_id)));
create policy "space admins delete budgets" on public.budgets for delete to authenticated
  using ((select private.budgets_admin(component_id)));
revoke insert, update, delete on public.budgets from anon;
revoke insert, update on public.budgets from authenticated;
grant insert (component_id, title, description, total_budget, taxonomy_id, weight, vote_rule, threshold_percent, minimum_projects,
  range_min, range_max, selection_method) on public.budgets to authenticated;
grant update (title, description, total_budget, taxonomy_id, weight, vote_rule, threshold_percent, minimum_projects,
  range_min, range_max, selection_method) on public.budgets to authenticated;

alter table public.projects enable row level security;
create policy "projects of visible components" on public.projects for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[]));
create policy "space admins create projects" on public.projects for insert to authenticated
  with check ((select private.budgets_admin((select b.component_id from public.budgets b where b.id = budget_id))));
create policy "space admins edit projects" on public.projects for update to authenticated
  using ((select private.budgets_admin(component_id)))
  with check ((select private.budgets_admin((select b.component_id from public.budgets b where b.id = budget_id))));
create policy "space admins delete projects" on public.projects for delete to authenticated
  using ((select private.budgets_admin(component_id)));
revoke insert, update, delete on public.projects from anon;
revoke insert, update on public.projects from authenticated;
grant insert (budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight) on public.projects to authenticated;
grant update (budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight, selected_at) on public.projects to authenticated;
-- Vote counts: hidden on every path unless the phase shows them (the functions below).
revoke select on public.projects from anon, authenticated;
grant select (id, budget_id, component_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight, selected_at,
  source_ref, created_at, updated_at) on public.projects to anon, authenticated;

alter table public.project_links enable row level security;
create policy "links of visible projects to visible resources" on public.project_links for select to anon, authenticated
  using (exists (select 1 from public.projects p where p.id = project_id)
    and (select private.resource_visible(resource_type, resource_id)));
create policy "space admins link projects" on public.project_links for insert to authenticated
  with check ((select private.budgets_admin((select p.component_id from public.projects p where p.id = project_id))));
create policy "space admins unlink projects" on public.project_links for delete to authenticated
  using ((select private.budgets_admin((select p.component_id from public.projects p where p.id = project_id))));
revoke insert, update, delete on public.project_links from anon;
revoke update on public.project_links from authenticated;

-- The vote counts of a component's projects, for whoever sees the component, when the phase
-- shows them; the space's admins always (they follow the vote).
-- (plpgsql: the checks once per call, not once per project.)
create or replace function private.budgets_project_votes(component uuid)
returns table (project_id uuid, votes integer)
language plpgsql stable security definer set search_path = '' as $$
begin
  if private.can_view_component(component) and (private.budgets_show_votes(component) or private.budgets_admin(component)) then
    return query select p.id, p.votes_count from public.projects p where p.component_id = component;
  end if;
end $$;

-- ---------------------------------------------------------------------------------------------
-- The `project` resource type (comments, follows)
-- ---------------------------------------------------------------------------------------------

create or replace function private.project_resource_component(project uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.component_id from public.projects p where p.id = project and private.can_view_component(p.component_id)
$$;
revoke all on function private.project_resource_component(uuid) from public, anon, authenticated;
insert into public.resource_types (resource_type, feature, capabilities, component_of)
values ('project', 'budgets', '{commentable,followable}', 'private.project_resource_component(uuid)');
create trigger projects_forget after delete on public.projects
  for each row execute function private.forget_resource('project');

create trigger budgets_log after insert or update or delete on public.budgets
  for each row execute function private.log_admin_change();
-- What admins change (not the counts checkouts move).
create trigger projects_log after insert or delete or update of budget_id, title, description, cost, taxonomy_id, address, latitude, longitude,
  weight, selected_at on public.projects for each row execute function private.log_admin_change();

grant execute on function private.budgets_api_caller(), private.budgets_budget_component(uuid), private.budgets_votes(uuid), private.budgets_show_votes(uuid),
  private.budgets_workflow(uuid), private.budgets_space(uuid), private.budgets_admin(uuid), private.budgets_project_votes(uuid)
  to anon, authenticated, service_role;
