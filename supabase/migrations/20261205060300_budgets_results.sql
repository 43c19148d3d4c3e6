-- The tally and the results: when a component's vote closes (its phase's `votes` becomes
-- `finished`, by a phase change or an admin's action) a request is recorded in the same
-- transaction; the `budgets.tally` job (workers/budgets/tally.ts) computes per project the votes
-- and the rank and a proposed selection within each envelope (greedy or Equal Shares), and the
-- space's admins confirm the selected projects, which publishes the results. Also: the vote's
-- statistics for the admins (numbers only), the anonymised ballots for the Pabulib export, and
-- the import of a Pabulib instance as a closed budget to replay or audit its tally.

create table public.budget_tally_requests (
  component_id uuid primary key references public.components (id) on delete cascade,
  requested_at timestamptz not null default now(),
  done_at timestamptz
);
create index budget_tally_requests_pending_idx on public.budget_tally_requests (requested_at) where done_at is null;

create table public.budget_tallies (
  budget_id uuid primary key references public.budgets (id) on delete cascade,
  component_id uuid not null references public.components (id) on delete cascade,
  method text not null,
  -- Checked-out ballots counted.
  voters integer not null,
  -- The cost of the proposed selection.
  spent bigint not null,
  -- What the results page explains: for Equal Shares each voter's share, the share the
  -- completion reached, how many projects the shares paid and how many the completion added.
  details jsonb not null default '{}',
  computed_at timestamptz not null default now(),
  confirmed_at timestamptz,
  confirmed_by uuid references public.profiles (id) on delete set null,
  constraint budget_tallies_method check (method in ('greedy', 'equal_shares')),
  constraint budget_tallies_counts check (voters >= 0 and spent >= 0),
  constraint budget_tallies_details check (jsonb_typeof(details) = 'object')
);
create index budget_tallies_component_idx on public.budget_tallies (component_id);

create table public.budget_results (
  budget_id uuid not null references public.budget_tallies (budget_id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  -- Ballots holding the project; `score`, the points they gave it (the same on approval ballots).
  votes integer not null,
  score bigint not null,
  rank integer not null,
  proposed boolean not null,
  -- How a proposed project is paid: by its supporters' equal shares, by the completion of Equal
  -- Shares, or in greedy order.
  paid_by text,
  -- Equal Shares: how many of its supporters paid, and what each paid on average.
  payers integer,
  average_payment numeric(16, 2),
  primary key (budget_id, project_id),
  constraint budget_results_paid_by check (paid_by is null or paid_by in ('shares', 'completion', 'greedy')),
  constraint budget_results_counts check (votes >= 0 and score >= 0 and rank >= 1)
);

-- ---------------------------------------------------------------------------------------------
-- When the vote closes: a request, in the same transaction as the change
-- ---------------------------------------------------------------------------------------------

create or replace function private.budgets_request_tally_of(component uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.budget_tally_requests (component_id, requested_at, done_at) values (component, now(), null)
  on conflict (component_id) do update set requested_at = now(), done_at = null
$$;
revoke all on function private.budgets_request_tally_of(uuid) from public, anon, authenticated;

-- A phase becomes active: the budgets components of its process whose vote it finishes.
create or replace function private.budgets_phase_activated() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  c record;
begin
  if not new.active or old.active then
    return null;
  end if;
  for c in select x.id from public.components x where x.space_id = new.space_id and x.feature = 'budgets' loop
    if private.budgets_votes(c.id) = 'finished' then
      perform private.budgets_request_tally_of(c.id);
    end if;
  end loop;
  return null;
end $$;

create trigger budgets_phase_activated after update of active on public.phases
  for each row execute function private.budgets_phase_activated();

-- The `votes` of a component's active phase in stored settings (before or after a change).
create or replace function private.budgets_votes_in(phase_settings jsonb, space uuid) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce(phase_settings -> (select p.id::text from public.phases p where p.space_id = space and p.active), phase_settings -> 'default') ->> 'votes'
$$;

-- An admin sets the active phase's `votes` to finished (or publishes a component whose phase is).
create or replace function private.budgets_component_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.feature = 'budgets' and private.budgets_votes_in(new.phase_settings, new.space_id) = 'finished'
     and private.budgets_votes_in(old.phase_settings, old.space_id) is distinct from 'finished' then
    perform private.budgets_request_tally_of(new.id);
  end if;
  return null;
end $$;
create trigger budgets_component_changed after update of phase_settings on public.components
  for each row execute function private.budgets_component_changed();

-- An admin asks for the tally again (after a correction, or for an imported budget).
create or replace function public.budgets_request_tally(component uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.components c where c.id = component and c.feature = 'budgets') or not private.budgets_admin(component) then
    raise exception 'only the space''s admins ask for the tally' using errcode = '42501';
  end if;
  -- A confirmed selection is not recomputed under the admins' feet: unconfirm it first.
  perform private.budgets_request_tally_of(component);
end $$;

-- ---------------------------------------------------------------------------------------------
-- The tally's input and output (the job, as the service role)
-- ---------------------------------------------------------------------------------------------

-- Writes a budget's tally (replacing an unconfirmed one; a confirmed one stays as confirmed).
-- `results` is [{project_id, votes, score, rank, proposed, paid_by, payers, average_payment}].
create or replace function private.budgets_save_tally(budget uuid, method text, voters integer, spent bigint, details jsonb, results jsonb)
returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  component uuid;
begin
  select b.component_id into component from public.budgets b where b.id = budget for update;
  if not found then
    return false;
  end if;
  if exists (select 1 from public.budget_tallies t where t.budget_id = budget and t.confirmed_at is not null) then
    return false;
  end if;
  delete from public.budget_tallies t where t.budget_id = budget;
  insert into public.budget_tallies (budget_id, component_id, method, voters, spent, details)
  values (budget, component, method, voters, spent, coalesce(details, '{}'));
  insert into public.budget_results (budget_id, project_id, votes, score, rank, proposed, paid_by, payers, average_payment)
  select budget, (r ->> 'project_id')::uuid, (r ->> 'votes')::integer, (r ->> 'score')::bigint, (r ->> 'rank')::integer,
         (r ->> 'proposed')::boolean, r ->> 'paid_by', (r ->> 'payers')::integer, (r ->> 'average_payment')::numeric
  from jsonb_array_elements(results) r
  join public.projects p on p.id = (r ->> 'project_id')::uuid and p.budget_id = budget;
  return true;
end $$;
revoke all on function private.budgets_save_tally(uuid, text, integer, bigint, jsonb, jsonb) from public, anon, authenticated;
grant execute on function private.budgets_save_tally(uuid, text, integer, bigint, jsonb, jsonb) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Confirmation by the admins
-- ---------------------------------------------------------------------------------------------

-- Confirms the selection (the proposed one, or the admins' own choice among the budget's
-- projects): the projects become selected, the results public.
create or replace function public.budgets_confirm_selection(budget uuid, selected uuid[]) returns void
language plpgsql security definer set search_path = '' as $$
declare
  component uuid;
begin
  select b.component_id into component from public.budgets b where b.id = budget;
  if component is null or not private.budgets_admin(component) then
    raise exception 'only the space''s admins confirm the selection' using errcode = '42501';
  end if;
  if not exists (select 1 from public.budget_tallies t where t.budget_id = budget) then
    raise exception 'no tally to confirm' using errcode = '23514', constraint = 'budgets_no_tally';
  end if;
  if exists (select 1 from unnest(coalesce(selected, '{}')) s where not exists (select 1 from public.projects p where p.id = s and p.budget_id = budget)) then
    raise exception 'a selected project is not in this budget' using errcode = '23514', constraint = 'budgets_project_budget';
  end if;
  update public.projects p set selected_at = case when p.id = any (coalesce(selected, '{}')) then coalesce(p.selected_at, now()) end
  where p.budget_id = budget and (p.selected_at is not null) <> (p.id = any (coalesce(selected, '{}')));
  update public.budget_tallies t set confirmed_at = now(), confirmed_by = (select auth.uid()) where t.budget_id = budget;
  insert into public.action_log (actor_id, action, resource_type, resource_id, space_id, data)
  values ((select auth.uid()), 'publish', 'budget_tallies', budget::text, private.budgets_space(component),
          jsonb_build_object('selected', to_jsonb(coalesce(selected, '{}'))));
end $$;

-- Takes a confirmation back (the results are hidden again and the tally may be recomputed).
create or replace function public.budgets_unconfirm_selection(budget uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  component uuid;
begin
  select b.component_id into component from public.budgets b where b.id = budget;
  if component is null or not private.budgets_admin(component) then
    raise exception 'only the space''s admins confirm the selection' using errcode = '42501';
  end if;
  update public.budget_tallies t set confirmed_at = null, confirmed_by = null where t.budget_id = budget;
  update public.projects p set selected_at = null where p.budget_id = budget and p.selected_at is not null;
  insert into public.action_log (actor_id, action, resource_type, resource_id, space_id)
  values ((select auth.uid()), 'unpublish', 'budget_tallies', budget::text, private.budgets_space(component));
end $$;

-- ---------------------------------------------------------------------------------------------
-- Statistics and exports
-- ---------------------------------------------------------------------------------------------

-- The vote as it goes, for the space's admins: ballots in progress (with projects, not checked
-- out) and checked out, per budget and per district (the voter's verified district). Numbers only.
create or replace function public.budgets_vote_stats(component uuid)
returns table (budget_id uuid, district_id uuid, in_progress bigint, checked_out bigint)
language sql stable security definer set search_path = '' as $$
  select b.budget_id,
         case when b.checked_out_at is null then private.verified_district(b.user_id) else b.district_id end as district,
         count(*) filter (where b.checked_out_at is null),
         count(*) filter (where b.checked_out_at is not null)
  from public.ballots b
  where b.component_id = component and (b.checked_out_at is not null or b.lines_count > 0)
    and private.budgets_admin(component)
  group by 1, 2
$$;

-- A closed vote's ballots, anonymised (numbered in an order that says nothing of who or when),
-- each with its projects and points: for the space's admins once the vote is finished (or the
-- budget imported), for everyone once the results are published.
create or replace function public.budgets_export_ballots(budget uuid)
returns table (voter integer, project_ids uuid[], points integer[])
language sql stable security definer set search_path = '' as $$
  with b as (
    select g.id, g.component_id, g.imported from public.budgets g where g.id = budget and private.can_view_component(g.component_id)
  ), allowed as (
    select 1 from b
    where (private.budgets_admin(b.component_id) and (b.imported is not null or private.budgets_votes(b.component_id) = 'finished'))
       or exists (select 1 from public.budget_tallies t where t.budget_id = b.id and t.confirmed_at is not null)
  )
  select (row_number() over (order by md5(o.id::text || (select encode(s.key, 'hex') from private.verification_secret s))))::integer,
         array_agg(l.project_id order by l.project_id), array_agg(l.points order by l.project_id)
  from public.ballots o
  join public.ballot_lines l on l.ballot_id = o.id
  where o.budget_id = budget and o.checked_out_at is not null and exists (select 1 from allowed)
  group by o.id
$$;

-- ---------------------------------------------------------------------------------------------
-- Pabulib import: a closed budget with its projects and ballots, to replay or audit a tally
-- ---------------------------------------------------------------------------------------------

-- `meta` is the file's META section as an object; `projects` [{ref, cost, name, votes?}];
-- `ballots` [{ref, projects: [ref…], points: [n…]}] (points absent: approval). Space admins.
create or replace function public.budgets_import_pabulib(component uuid, meta jsonb, projects jsonb, ballots jsonb) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  budget uuid;
  title text;
begin
  if not exists (select 1 from public.components c where c.id = component and c.feature = 'budgets') or not private.budgets_admin(component) then
    raise exception 'only the space''s admins import budgets' using errcode = '42501';
  end if;
  if jsonb_typeof(meta) <> 'object' or jsonb_typeof(projects) <> 'array' or jsonb_typeof(ballots) <> 'array'
     or jsonb_array_length(projects) = 0 or jsonb_array_length(projects) > 10000 or jsonb_array_length(ballots) > 1000000 then
    raise exception 'not a Pabulib instance' using errcode = '22023';
  end if;
  title := left(coalesce(nullif(btrim(concat_ws(' ', meta ->> 'unit', meta ->> 'subunit', meta ->> 'instance')), ''), meta ->> 'description', 'Pabulib'), 200);
  insert into public.budgets (component_id, title, description, total_budget, selection_method, imported, weight)
  values (component, jsonb_build_object('fr', title, 'en', title),
          jsonb_build_object('fr', left(coalesce(meta ->> 'description', ''), 2000), 'en', left(coalesce(meta ->> 'description', ''), 2000)),
          (meta ->> 'budget')::numeric::bigint,
          case when meta ->> 'rule' like 'equalshares%' then 'equal_shares' else 'greedy' end,
          meta, 1000)
  returning id into budget;
  insert into public.projects (budget_id, component_id, title, cost, source_ref, weight)
  select budget, component, jsonb_build_object('fr', left(coalesce(nullif(btrim(p ->> 'name'), ''), 'Projet ' || (p ->> 'ref')), 300)),
         (p ->> 'cost')::numeric::bigint, p ->> 'ref', (row_number() over ())::integer
  from jsonb_array_elements(projects) p;
  insert into public.ballots (budget_id, component_id, user_id, voter_ref, checked_out_at)
  select budget, component, null, v ->> 'ref', now() from jsonb_array_elements(ballots) v;
  insert into public.ballot_lines (ballot_id, project_id, points)
  select o.id, pr.id, coalesce((v -> 'points' ->> (e.n - 1)::integer)::integer, 1)
  from jsonb_array_elements(ballots) v
  join public.ballots o on o.budget_id = budget and o.voter_ref = v ->> 'ref'
  cross join lateral jsonb_array_elements_text(v -> 'projects') with ordinality as e (ref, n)
  join public.projects pr on pr.budget_id = budget and pr.source_ref = e.ref
  on conflict do nothing;
  update public.projects p set votes_count = (select count(*) from public.ballot_lines l where l.project_id = p.id)
  where p.budget_id = budget;
  return budget;
end $$;

-- The address a reminder goes to (the `budgets.remind` job, as the service role): emails live in
-- auth.users, which the API roles never read.
create or replace function private.budgets_voter_email(ballot uuid) returns text
language sql stable security definer set search_path = '' as $$
  select u.email::text from public.ballots b join auth.users u on u.id = b.user_id where b.id = ballot
$$;
revoke all on function private.budgets_voter_email(uuid) from public, anon, authenticated;
grant execute on function private.budgets_voter_email(uuid) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

alter table public.budget_tally_requests enable row level security;
create policy "space admins see tally requests" on public.budget_tally_requests for select to authenticated
  using ((select private.budgets_admin(component_id)));
revoke all on public.budget_tally_requests from anon;
revoke insert, update, delete on public.budget_tally_requests from authenticated;

alter table public.budget_tallies enable row level security;
create policy "published tallies for whoever sees the component, all for its admins" on public.budget_tallies for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[]) and (confirmed_at is not null or (select private.budgets_admin(component_id))));
revoke insert, update, delete on public.budget_tallies from anon, authenticated;

alter table public.budget_results enable row level security;
create policy "results of visible tallies" on public.budget_results for select to anon, authenticated
  using (exists (select 1 from public.budget_tallies t where t.budget_id = budget_results.budget_id));
revoke insert, update, delete on public.budget_results from anon, authenticated;

revoke all on function public.budgets_request_tally(uuid), public.budgets_confirm_selection(uuid, uuid[]),
  public.budgets_unconfirm_selection(uuid), public.budgets_vote_stats(uuid), public.budgets_import_pabulib(uuid, jsonb, jsonb, jsonb)
  from public, anon;
grant execute on function public.budgets_request_tally(uuid), public.budgets_confirm_selection(uuid, uuid[]),
  public.budgets_unconfirm_selection(uuid), public.budgets_vote_stats(uuid), public.budgets_import_pabulib(uuid, jsonb, jsonb, jsonb)
  to authenticated;
revoke all on function public.budgets_export_ballots(uuid) from public;
grant execute on function public.budgets_export_ballots(uuid) to anon, authenticated, service_role;
grant execute on function private.budgets_votes_in(jsonb, uuid) to anon, authenticated, service_role;
