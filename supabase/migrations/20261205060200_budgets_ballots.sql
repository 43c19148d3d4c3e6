-- Ballots (Decidim's orders) and their lines, with every rule of the vote: the envelope is never
-- exceeded, the rule in force is met at checkout, one ballot per person per budget (per
-- component in the `one` workflow), nothing changes after checkout, votes only while the phase's
-- `votes` is enabled, only by people holding the verification the component requires, in the
-- budgets of their district when the workflow says so. Each person's ballot is broadcast on their
-- own private channel (every tab and device follows it live); vote counts on the component's
-- channel when the phase shows them.

create table public.ballots (
  id uuid primary key default gen_random_uuid(),
  budget_id uuid not null references public.budgets (id) on delete cascade,
  -- Copied from the budget by the trigger.
  component_id uuid not null references public.components (id) on delete cascade,
  -- Null for a ballot imported from a Pabulib file (it has `voter_ref`) and for a checked-out
  -- ballot whose voter deleted their account (the vote stays, anonymous).
  user_id uuid references public.profiles (id) on delete set null default auth.uid(),
  voter_ref text,
  -- The voter's district when they checked out (statistics per district).
  district_id uuid references public.taxonomies (id) on delete set null,
  -- Kept by the lines' triggers under the ballot's row lock: the envelope is checked against them.
  total bigint not null default 0,
  lines_count integer not null default 0,
  checked_out_at timestamptz,
  -- The reminder about an unfinished ballot went (once per ballot).
  reminded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (budget_id, user_id),
  unique (budget_id, voter_ref),
  constraint ballots_voter check (user_id is not null or voter_ref is not null or checked_out_at is not null),
  constraint ballots_voter_ref check (voter_ref is null or char_length(voter_ref) <= 100),
  constraint ballots_counts check (total >= 0 and lines_count >= 0)
);
create index ballots_user_idx on public.ballots (user_id, component_id);
create index ballots_component_idx on public.ballots (component_id, budget_id);
create index ballots_checked_out_idx on public.ballots (budget_id) where checked_out_at is not null;
create index ballots_unfinished_idx on public.ballots (updated_at) where checked_out_at is null and reminded_at is null and lines_count > 0;

create table public.ballot_lines (
  ballot_id uuid not null references public.ballots (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  -- 1 on the platform's ballots (approval); the points of a cumulative ballot imported from Pabulib.
  points integer not null default 1,
  created_at timestamptz not null default now(),
  primary key (ballot_id, project_id),
  constraint ballot_lines_points check (points between 1 and 1000000)
);
create index ballot_lines_project_idx on public.ballot_lines (project_id);

-- ---------------------------------------------------------------------------------------------
-- The rules, as functions the triggers ask
-- ---------------------------------------------------------------------------------------------

-- Is `node` the taxonomy `ancestor` or one of its descendants (a budget for a district covers
-- its sub-districts)?
create or replace function private.budgets_taxonomy_covers(ancestor uuid, node uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  with recursive up (id, parent_id, depth) as (
    select t.id, t.parent_id, 0 from public.taxonomies t where t.id = node
    union all
    select t.id, t.parent_id, up.depth + 1 from public.taxonomies t join up on t.id = up.parent_id where up.depth < 20
  )
  select exists (select 1 from up where up.id = ancestor)
$$;

-- One person's ballots in one component, one after the other (the `one` workflow's rule and
-- checkouts from several devices at once).
create or replace function private.budgets_lock_voter(component uuid, person uuid) returns void
language sql set search_path = '' as $$
  select pg_advisory_xact_lock(hashtextextended('budgets_voter:' || component::text || ':' || person::text, 0))
$$;

-- May the caller vote in this budget now? Raises the reason (a constraint name the forms
-- translate) and returns the budget's component. Read-only: the triggers, which run as the
-- voter, call it.
create or replace function private.budgets_check_voting(budget uuid) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  b record;
  district uuid;
begin
  select g.id, g.component_id, g.taxonomy_id, g.imported into b from public.budgets g where g.id = budget;
  if not found or not private.can_view_component(b.component_id) then
    raise exception 'no such budget' using errcode = 'P0002';
  end if;
  if b.imported is not null then
    raise exception 'an imported budget is closed to votes' using errcode = '23514', constraint = 'budgets_imported';
  end if;
  if private.budgets_votes(b.component_id) <> 'enabled' then
    raise exception 'the vote is not open' using errcode = '23514', constraint = 'budgets_votes_closed';
  end if;
  if (select auth.uid()) is null then
    raise exception 'sign in to vote' using errcode = '42501';
  end if;
  if not private.component_allows(b.component_id, 'vote') then
    if not private.component_action_verified(b.component_id, 'vote') then
      raise exception 'verify yourself to vote' using errcode = '23514', constraint = 'budgets_verification_required';
    end if;
    raise exception 'not allowed to vote here' using errcode = '42501';
  end if;
  if b.taxonomy_id is not null and private.budgets_workflow(b.component_id) = 'district' then
    district := private.my_verified_district();
    if district is null or not private.budgets_taxonomy_covers(b.taxonomy_id, district) then
      raise exception 'this budget is for another district' using errcode = '23514', constraint = 'budgets_not_your_district';
    end if;
  end if;
  return b.component_id;
end $$;

-- The `one` workflow: a person votes in one budget of the component only. Another budget where
-- they have chosen projects (or checked out) stops them; an emptied ballot does not.
-- Volatile on purpose: asked after the voter's lock, it must read what was committed meanwhile.
create or replace function private.budgets_check_one_budget(component uuid, budget uuid, person uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if private.budgets_workflow(component) = 'one' and exists (
    select 1 from public.ballots o
    where o.component_id = component and o.user_id = person and o.budget_id <> budget
      and (o.lines_count > 0 or o.checked_out_at is not null)) then
    raise exception 'one budget per person in this component' using errcode = '23514', constraint = 'budgets_one_budget';
  end if;
end $$;

-- Is the rule of a budget met by a ballot of `total` euros and `lines` projects?
create or replace function private.budgets_rule_met(budget uuid, total bigint, lines integer) returns boolean
language sql stable security definer set search_path = '' as $$
  select lines > 0 and case b.vote_rule
    when 'threshold_percent' then total <= b.total_budget and total * 100 >= b.threshold_percent::bigint * b.total_budget
    when 'minimum_projects' then total <= b.total_budget and lines >= b.minimum_projects
    when 'projects_range' then lines between b.range_min and b.range_max
    else false end
  from public.budgets b where b.id = budget
$$;

-- Adding a project to the caller's ballot: locks the ballot (a person's devices add one after
-- the other), checks the vote is open to them, the ballot is theirs and not checked out, the
-- project is of the ballot's budget, the `one` workflow, and that the envelope (or, under the
-- "between N and M projects" rule, M) still holds. Returns false when the project is already on
-- the ballot (the insert is then skipped: adding twice is adding once).
create or replace function private.budgets_check_line(ballot uuid, project uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  o record;
  b record;
  cost bigint;
begin
  select x.id, x.budget_id, x.component_id, x.user_id, x.total, x.lines_count, x.checked_out_at into o
  from public.ballots x where x.id = ballot for update;
  if not found or o.user_id is distinct from (select auth.uid()) then
    raise exception 'not your ballot' using errcode = '42501';
  end if;
  if o.checked_out_at is not null then
    raise exception 'a checked-out ballot stays as it is' using errcode = '23514', constraint = 'budgets_checked_out';
  end if;
  perform private.budgets_check_voting(o.budget_id);
  if exists (select 1 from public.ballot_lines l where l.ballot_id = ballot and l.project_id = project) then
    return false;
  end if;
  select p.cost into cost from public.projects p where p.id = project and p.budget_id = o.budget_id;
  if not found then
    raise exception 'the project is not in this budget' using errcode = '23514', constraint = 'budgets_project_budget';
  end if;
  perform private.budgets_lock_voter(o.component_id, o.user_id);
  if o.lines_count = 0 then
    perform private.budgets_check_one_budget(o.component_id, o.budget_id, o.user_id);
  end if;
  select g.vote_rule, g.total_budget, g.range_max into b from public.budgets g where g.id = o.budget_id;
  if b.vote_rule = 'projects_range' then
    if o.lines_count + 1 > b.range_max then
      raise exception 'at most % projects', b.range_max using errcode = '23514', constraint = 'budgets_too_many_projects';
    end if;
  elsif o.total + cost > b.total_budget then
    raise exception 'the envelope is exceeded' using errcode = '23514', constraint = 'budgets_envelope_exceeded';
  end if;
  return true;
end $$;

-- Removing a project: the caller's ballot, not checked out.
create or replace function private.budgets_check_line_removal(ballot uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  o record;
begin
  select x.user_id, x.checked_out_at into o from public.ballots x where x.id = ballot for update;
  if not found then
    return; -- the ballot itself is being deleted
  end if;
  if o.user_id is distinct from (select auth.uid()) then
    raise exception 'not your ballot' using errcode = '42501';
  end if;
  if o.checked_out_at is not null then
    raise exception 'a checked-out ballot stays as it is' using errcode = '23514', constraint = 'budgets_checked_out';
  end if;
end $$;

-- Checking out the caller's ballot: the vote open to them, the `one` workflow, the rule met.
-- Returns the voter's district (kept with the ballot for the statistics).
create or replace function private.budgets_check_checkout(ballot uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  o record;
begin
  select x.budget_id, x.component_id, x.user_id, x.total, x.lines_count into o from public.ballots x where x.id = ballot;
  if not found or o.user_id is distinct from (select auth.uid()) then
    raise exception 'not your ballot' using errcode = '42501';
  end if;
  perform private.budgets_check_voting(o.budget_id);
  perform private.budgets_lock_voter(o.component_id, o.user_id);
  perform private.budgets_check_one_budget(o.component_id, o.budget_id, o.user_id);
  if not private.budgets_rule_met(o.budget_id, o.total, o.lines_count) then
    raise exception 'the rule of the vote is not met' using errcode = '23514', constraint = 'budgets_rule_not_met';
  end if;
  return private.verified_district(o.user_id);
end $$;

-- ---------------------------------------------------------------------------------------------
-- Triggers: the person's writes (as the voter) and the bookkeeping (as the definer)
-- ---------------------------------------------------------------------------------------------

create or replace function private.ballots_before_insert() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.budgets_api_caller() then
    new.user_id := (select auth.uid());
    new.voter_ref := null;
    new.district_id := null;
    new.total := 0;
    new.lines_count := 0;
    new.checked_out_at := null;
    new.reminded_at := null;
    new.created_at := now();
    new.updated_at := now();
    new.component_id := private.budgets_check_voting(new.budget_id);
  else
    new.component_id := private.budgets_budget_component(new.budget_id);
  end if;
  return new;
end $$;
create trigger ballots_before_insert before insert on public.ballots
  for each row execute function private.ballots_before_insert();

-- A person changes one thing on their ballot: they check it out, once.
create or replace function private.ballots_before_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not private.budgets_api_caller() then
    -- The bookkeeping (totals) moves it; a trusted writer setting it itself (the seed) is kept.
    if new.updated_at is not distinct from old.updated_at then
      new.updated_at := now();
    end if;
    return new;
  end if;
  if old.checked_out_at is not null then
    raise exception 'a checked-out ballot stays as it is' using errcode = '23514', constraint = 'budgets_checked_out';
  end if;
  if new.checked_out_at is null then
    return old;
  end if;
  new := old;
  new.district_id := private.budgets_check_checkout(old.id);
  new.checked_out_at := now();
  new.updated_at := now();
  return new;
end $$;
create trigger ballots_before_update before update on public.ballots
  for each row execute function private.ballots_before_update();

create or replace function private.ballots_before_delete() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.budgets_api_caller() and old.checked_out_at is not null then
    raise exception 'a checked-out ballot stays as it is' using errcode = '23514', constraint = 'budgets_checked_out';
  end if;
  return old;
end $$;
create trigger ballots_before_delete before delete on public.ballots
  for each row execute function private.ballots_before_delete();

-- Lines: the voter's checks first (named so they fire first), then the ballot's totals.
create or replace function private.ballot_lines_check() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    if private.budgets_api_caller() then
      new.points := 1;
      new.created_at := now();
      if not private.budgets_check_line(new.ballot_id, new.project_id) then
        return null;
      end if;
    end if;
    return new;
  end if;
  if private.budgets_api_caller() then
    perform private.budgets_check_line_removal(old.ballot_id);
  end if;
  return old;
end $$;
create trigger ballot_lines_a_check before insert or delete on public.ballot_lines
  for each row execute function private.ballot_lines_check();

-- Before the row (not after the statement): the next row of a multi-row insert is checked
-- against the total this one made.
create or replace function private.ballot_lines_count() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  cost bigint;
begin
  if tg_op = 'INSERT' then
    if exists (select 1 from public.ballot_lines l where l.ballot_id = new.ballot_id and l.project_id = new.project_id) then
      return null;
    end if;
    select p.cost into cost from public.projects p where p.id = new.project_id;
    update public.ballots set total = total + coalesce(cost, 0), lines_count = lines_count + 1 where id = new.ballot_id;
    return new;
  end if;
  select p.cost into cost from public.projects p where p.id = old.project_id;
  update public.ballots set total = greatest(0, total - coalesce(cost, 0)), lines_count = greatest(0, lines_count - 1) where id = old.ballot_id;
  return old;
end $$;
create trigger ballot_lines_b_count before insert or delete on public.ballot_lines
  for each row execute function private.ballot_lines_count();

-- ---------------------------------------------------------------------------------------------
-- Live: the voter's own channel, and the component's counts when shown
-- ---------------------------------------------------------------------------------------------

create or replace function private.budgets_voter_topic(person uuid) returns text
language sql immutable set search_path = '' as $$
  select 'budgets:voter:' || person::text
$$;
create or replace function private.budgets_topic(component uuid) returns text
language sql immutable set search_path = '' as $$
  select 'budgets:' || component::text
$$;

-- What a person's devices need to redraw their ballot: which budget, what changed, the new
-- totals. Only ever on that person's channel.
create or replace function private.budgets_send_ballot(ballot uuid, change text, project uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  o record;
begin
  select x.id, x.budget_id, x.component_id, x.user_id, x.total, x.lines_count, x.checked_out_at into o from public.ballots x where x.id = ballot;
  if not found or o.user_id is null then
    return;
  end if;
  perform realtime.send(
    jsonb_strip_nulls(jsonb_build_object(
      'ballot_id', o.id, 'budget_id', o.budget_id, 'component_id', o.component_id, 'change', change, 'project_id', project,
      'total', o.total, 'count', o.lines_count, 'checked_out', o.checked_out_at is not null)),
    'ballot', private.budgets_voter_topic(o.user_id), true);
end $$;
revoke all on function private.budgets_send_ballot(uuid, text, uuid) from public, anon, authenticated;

-- The admins' live numbers: a ballot starts counting as "in progress" with its first project
-- and stops with its last one or at checkout. Only that it changed, and in which budget.
create or replace function private.budgets_admin_topic(component uuid) returns text
language sql immutable set search_path = '' as $$
  select 'budgets:admin:' || component::text
$$;
create or replace function private.budgets_send_stats(ballot uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  o record;
begin
  select x.budget_id, x.component_id into o from public.ballots x where x.id = ballot;
  if found then
    perform realtime.send(jsonb_build_object('budget_id', o.budget_id), 'stats', private.budgets_admin_topic(o.component_id), true);
  end if;
end $$;
revoke all on function private.budgets_send_stats(uuid) from public, anon, authenticated;

create or replace function private.ballot_lines_after_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  n integer;
begin
  if tg_op = 'INSERT' then
    perform private.budgets_send_ballot(new.ballot_id, 'added', new.project_id);
    select x.lines_count into n from public.ballots x where x.id = new.ballot_id and x.user_id is not null;
    if n = 1 then
      perform private.budgets_send_stats(new.ballot_id);
    end if;
  else
    perform private.budgets_send_ballot(old.ballot_id, 'removed', old.project_id);
    select x.lines_count into n from public.ballots x where x.id = old.ballot_id and x.user_id is not null;
    if n = 0 then
      perform private.budgets_send_stats(old.ballot_id);
    end if;
  end if;
  return null;
end $$;
create trigger ballot_lines_after_write after insert or delete on public.ballot_lines
  for each row execute function private.ballot_lines_after_write();

-- At checkout: the projects' counts (locked in id order, so simultaneous checkouts never
-- deadlock), the voter's devices, and the component's channel when votes are shown.
create or replace function private.ballots_after_checkout() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  pid uuid;
  counts jsonb := '[]';
  n integer;
begin
  if old.checked_out_at is not null or new.checked_out_at is null then
    return null;
  end if;
  -- The voter's and the admins' messages first: the projects' row locks below are held until
  -- commit, and every other checkout of these projects waits for them.
  perform private.budgets_send_ballot(new.id, 'checked_out', null);
  if new.user_id is not null then
    perform private.budgets_send_stats(new.id);
  end if;
  for pid in select l.project_id from public.ballot_lines l where l.ballot_id = new.id order by l.project_id loop
    update public.projects set votes_count = votes_count + 1 where id = pid returning votes_count into n;
    counts := counts || jsonb_build_object('id', pid, 'votes', n);
  end loop;
  if private.budgets_show_votes(new.component_id) then
    perform realtime.send(jsonb_build_object('budget_id', new.budget_id, 'projects', counts), 'votes', private.budgets_topic(new.component_id), true);
  end if;
  return null;
end $$;
create trigger ballots_after_checkout after update of checked_out_at on public.ballots
  for each row execute function private.ballots_after_checkout();

create or replace function private.ballots_after_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.user_id is not null and old.checked_out_at is null then
    perform realtime.send(
      jsonb_build_object('ballot_id', old.id, 'budget_id', old.budget_id, 'component_id', old.component_id, 'change', 'emptied',
                         'total', 0, 'count', 0, 'checked_out', false),
      'ballot', private.budgets_voter_topic(old.user_id), true);
  end if;
  return null;
end $$;
create trigger ballots_after_delete after delete on public.ballots
  for each row execute function private.ballots_after_delete();

-- A person who deletes their account takes their unfinished ballots with them; their
-- checked-out ones stay in the count, anonymous (`user_id` set to null by the foreign key).
create or replace function private.budgets_forget_voter() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.ballots b where b.user_id = old.id and b.checked_out_at is null;
  return old;
end $$;
create trigger budgets_forget_voter before delete on public.profiles
  for each row execute function private.budgets_forget_voter();

create or replace function private.budgets_can_view_topic(topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select private.can_view_component(parts[1]::uuid)
    from (select regexp_match(topic, '^budgets:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') as parts) t
    where parts is not null
  ), false)
$$;

create policy "budgets topics for whoever sees the component" on realtime.messages for select to anon, authenticated
  using ((select realtime.topic()) like 'budgets:%' and (select private.budgets_can_view_topic(realtime.topic())));
create or replace function private.budgets_can_admin_topic(topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select private.budgets_admin(parts[1]::uuid)
    from (select regexp_match(topic, '^budgets:admin:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') as parts) t
    where parts is not null
  ), false)
$$;
create policy "a budgets component's admin topic for its space's admins" on realtime.messages for select to authenticated
  using ((select realtime.topic()) like 'budgets:admin:%' and (select private.budgets_can_admin_topic(realtime.topic())));
create policy "a voter's ballot topic for the voter alone" on realtime.messages for select to authenticated
  using ((select realtime.topic()) = 'budgets:voter:' || (select auth.uid())::text);

-- ---------------------------------------------------------------------------------------------
-- Row-level security: a ballot is its voter's alone (the admins see numbers, never ballots)
-- ---------------------------------------------------------------------------------------------

create or replace function private.budgets_my_ballot_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(b.id), '{}') from public.ballots b where b.user_id = (select auth.uid())
$$;

alter table public.ballots enable row level security;
create policy "voters see their ballots" on public.ballots for select to authenticated
  using (user_id = (select auth.uid()));
create policy "voters start their ballots" on public.ballots for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "voters check out their ballots" on public.ballots for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "voters empty their ballots" on public.ballots for delete to authenticated
  using (user_id = (select auth.uid()));
revoke all on public.ballots from anon;
revoke insert, update on public.ballots from authenticated;
grant insert (budget_id) on public.ballots to authenticated;
grant update (checked_out_at) on public.ballots to authenticated;

alter table public.ballot_lines enable row level security;
create policy "voters see their ballot lines" on public.ballot_lines for select to authenticated
  using (ballot_id = any ((select private.budgets_my_ballot_ids())::uuid[]));
create policy "voters add projects to their ballots" on public.ballot_lines for insert to authenticated
  with check (ballot_id = any ((select private.budgets_my_ballot_ids())::uuid[]));
create policy "voters remove projects from their ballots" on public.ballot_lines for delete to authenticated
  using (ballot_id = any ((select private.budgets_my_ballot_ids())::uuid[]));
revoke all on public.ballot_lines from anon;
revoke insert, update on public.ballot_lines from authenticated;
grant insert (ballot_id, project_id) on public.ballot_lines to authenticated;

grant execute on function private.budgets_taxonomy_covers(uuid, uuid), private.budgets_lock_voter(uuid, uuid),
  private.budgets_check_voting(uuid), private.budgets_check_one_budget(uuid, uuid, uuid), private.budgets_rule_met(uuid, bigint, integer),
  private.budgets_check_line(uuid, uuid), private.budgets_check_line_removal(uuid), private.budgets_check_checkout(uuid),
  private.budgets_voter_topic(uuid), private.budgets_topic(uuid), private.budgets_can_view_topic(text), private.budgets_my_ballot_ids(),
  private.budgets_admin_topic(uuid), private.budgets_can_admin_topic(text)
  to anon, authenticated, service_role;
