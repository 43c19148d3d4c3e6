-- The `proposals` feature, supports ("votes"): the limit per participant, the minimum before they count, the
-- threshold per proposal, and who sees the counts. Split from the proposals core migration by concern; the
-- core (…4000_proposals.sql) holds the proposals themselves, their visibility and their counters.

create table public.proposal_supports (
  proposal_id uuid not null references public.proposals (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  component_id uuid not null references public.components (id) on delete cascade,
  -- False while the supporter has cast fewer than the component's minimum.
  counted boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (proposal_id, user_id)
);
create index proposal_supports_user_idx on public.proposal_supports (user_id, component_id);

-- One row per supporter and component: the lock that serialises a person's concurrent clicks and
-- the number their limit is checked against.
create table public.proposal_support_tallies (
  component_id uuid not null references public.components (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  supports integer not null default 0,
  primary key (component_id, user_id),
  constraint proposal_support_tallies_supports check (supports >= 0)
);

-- ---------------------------------------------------------------------------------------------
-- Supports: limit per person, minimum before they count, threshold per proposal
-- ---------------------------------------------------------------------------------------------

-- Runs as the table owner for every insert. Order of locks: the supporter's tally row (serialises
-- one person's clicks), then the proposal row (serialises the threshold check), then — when the
-- minimum is reached — the person's other supported proposals in id order.
create or replace function private.proposal_supports_before_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p record;
  settings jsonb;
  vote_limit integer;
  minimum integer;
  threshold integer;
  cast_before integer;
  other record;
begin
  select x.component_id, x.supports_count, x.pending_supports, x.published_at, x.withdrawn_at, x.hidden_at
  into p from public.proposals x where x.id = new.proposal_id;
  if not found then
    raise exception 'no such proposal' using errcode = '23503', constraint = 'proposal_supports_proposal_id_fkey';
  end if;
  new.component_id := p.component_id;
  new.user_id := coalesce((select auth.uid()), new.user_id);
  new.created_at := now();
  select c.settings into settings from public.components c where c.id = p.component_id;
  vote_limit := private.int_setting(settings, 'vote_limit', 0);
  minimum := private.int_setting(settings, 'minimum_votes_per_user', 0);
  threshold := private.int_setting(settings, 'threshold_per_proposal', 0);

  insert into public.proposal_support_tallies as t (component_id, user_id, supports) values (p.component_id, new.user_id, 1)
  on conflict (component_id, user_id) do update set supports = t.supports + 1
  returning t.supports - 1 into cast_before;
  -- A second support by the same person (a repeated click, or `on conflict do nothing`, whose
  -- conflict is only checked after this trigger): refused here, before anything is counted.
  if exists (select 1 from public.proposal_supports s where s.proposal_id = new.proposal_id and s.user_id = new.user_id) then
    raise exception 'already supported' using errcode = '23505', constraint = 'proposal_supports_pkey';
  end if;
  if vote_limit > 0 and cast_before >= vote_limit then
    raise exception 'at most % supports per participant', vote_limit using errcode = '23514', constraint = 'proposal_supports_limit';
  end if;

  -- Lock the proposal, then read its counts as they are now. When this support reaches the
  -- minimum, the person's other supported proposals are updated too: all of them are locked first,
  -- in id order, so that two people reaching the minimum at once do not deadlock.
  if minimum > 0 and cast_before + 1 = minimum then
    perform 1 from public.proposals x
    where x.id = new.proposal_id
       or x.id in (select s.proposal_id from public.proposal_supports s
                   where s.user_id = new.user_id and s.component_id = p.component_id and not s.counted)
    order by x.id for update;
  end if;
  select x.component_id, x.supports_count, x.pending_supports into p from public.proposals x where x.id = new.proposal_id for update;
  if threshold > 0 and not private.bool_setting(settings, 'can_accumulate_votes_beyond_threshold')
     and p.supports_count + p.pending_supports >= threshold then
    raise exception 'this proposal has reached its threshold' using errcode = '23514', constraint = 'proposal_supports_threshold';
  end if;

  new.counted := minimum <= 0 or cast_before + 1 >= minimum;
  if new.counted then
    update public.proposals set supports_count = supports_count + 1 where id = new.proposal_id;
  else
    update public.proposals set pending_supports = pending_supports + 1 where id = new.proposal_id;
  end if;
  if minimum > 0 and cast_before + 1 = minimum then
    -- This support reaches the minimum: the person's earlier supports count from now on.
    for other in
      select s.proposal_id from public.proposal_supports s
      where s.user_id = new.user_id and s.component_id = p.component_id and not s.counted
      order by s.proposal_id
    loop
      update public.proposals set supports_count = supports_count + 1, pending_supports = pending_supports - 1
      where id = other.proposal_id;
      update public.proposal_supports set counted = true where proposal_id = other.proposal_id and user_id = new.user_id;
    end loop;
  end if;
  return new;
end $$;
create trigger proposal_supports_before_insert before insert on public.proposal_supports
  for each row execute function private.proposal_supports_before_insert();

create or replace function private.proposal_supports_after_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  settings jsonb;
  minimum integer;
  remaining integer;
  other record;
begin
  update public.proposal_support_tallies set supports = supports - 1
  where component_id = old.component_id and user_id = old.user_id
  returning supports into remaining;
  select c.settings into settings from public.components c where c.id = old.component_id;
  minimum := private.int_setting(settings, 'minimum_votes_per_user', 0);
  if minimum > 0 and old.counted and remaining = minimum - 1 then
    -- All the proposals this withdrawal changes, locked first in id order (no deadlocks).
    perform 1 from public.proposals x
    where x.id = old.proposal_id
       or x.id in (select s.proposal_id from public.proposal_supports s
                   where s.user_id = old.user_id and s.component_id = old.component_id and s.counted)
    order by x.id for update;
  end if;
  if old.counted then
    update public.proposals set supports_count = supports_count - 1 where id = old.proposal_id;
  else
    update public.proposals set pending_supports = pending_supports - 1 where id = old.proposal_id;
  end if;
  if minimum > 0 and old.counted and remaining = minimum - 1 then
    -- Below the minimum again: the person's other supports wait until they reach it once more.
    for other in
      select s.proposal_id from public.proposal_supports s
      where s.user_id = old.user_id and s.component_id = old.component_id and s.counted
      order by s.proposal_id
    loop
      update public.proposals set supports_count = supports_count - 1, pending_supports = pending_supports + 1
      where id = other.proposal_id;
      update public.proposal_supports set counted = false where proposal_id = other.proposal_id and user_id = old.user_id;
    end loop;
  end if;
  return null;
end $$;
create trigger proposal_supports_after_delete after delete on public.proposal_supports
  for each row execute function private.proposal_supports_after_delete();

-- A deleted tally row would let a person start from zero: tallies are written by the triggers only.
create or replace function private.proposal_supports_lock_first() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Lock the tally before the row goes, so two withdrawals by one person run one after the other.
  perform 1 from public.proposal_support_tallies t where t.component_id = old.component_id and t.user_id = old.user_id for update;
  return old;
end $$;
create trigger proposal_supports_before_delete before delete on public.proposal_supports
  for each row execute function private.proposal_supports_lock_first();

-- The proposals components the caller sees whose support counts are shown to them: those whose
-- active phase does not hide them, and, hidden or not, those of the spaces they administer or
-- evaluate (`has_space_role(…, 'evaluator')` is true for admins too): the admin's lists and
-- exports. Once per query.
create or replace function private.supports_shown_component_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(c.id), '{}') from public.components c
  where c.feature = 'proposals' and c.id = any ((select private.visible_component_ids())::uuid[])
    and (not private.bool_setting(private.active_phase_settings(c.id), 'votes_hidden')
         or private.has_space_role(c.space_id, 'evaluator'))
$$;

-- The support counts of the proposals `ids` (a page's, in one call): the rows the "visible
-- proposals" policy lets the caller read (the same terms, computed once per query), in the
-- components whose counts are shown to them. A proposal missing from the answer has no count to
-- show.
create or replace function private.proposal_supports(ids uuid[]) returns table (proposal_id uuid, supports integer)
language sql stable security definer set search_path = '' as $$
  select p.id, p.supports_count from public.proposals p
  where p.id = any (ids)
    and p.component_id = any ((select private.supports_shown_component_ids())::uuid[])
    and ((p.published_at is not null and p.space_id = any ((select private.moderated_space_ids())::uuid[]))
      or p.id = any ((select private.my_proposal_ids())::uuid[])
      or (p.published_at is not null and p.hidden_at is null
          and (p.amends_id is null or not p.component_id = any ((select private.amendments_restricted_component_ids())::uuid[])
               or p.amends_id = any ((select private.my_proposal_ids())::uuid[]))))
$$;

-- The same for whole components: the list's "most supported" order, exports, statistics.
create or replace function private.component_proposal_supports(components uuid[]) returns table (proposal_id uuid, supports integer)
language sql stable security definer set search_path = '' as $$
  select p.id, p.supports_count from public.proposals p
  where p.component_id = any (components)
    and p.component_id = any ((select private.supports_shown_component_ids())::uuid[])
    and ((p.published_at is not null and p.space_id = any ((select private.moderated_space_ids())::uuid[]))
      or p.id = any ((select private.my_proposal_ids())::uuid[])
      or (p.published_at is not null and p.hidden_at is null
          and (p.amends_id is null or not p.component_id = any ((select private.amendments_restricted_component_ids())::uuid[])
               or p.amends_id = any ((select private.my_proposal_ids())::uuid[]))))
$$;
revoke all on function private.supports_shown_component_ids(), private.proposal_supports(uuid[]),
  private.component_proposal_supports(uuid[]) from public;
grant execute on function private.supports_shown_component_ids(), private.proposal_supports(uuid[]),
  private.component_proposal_supports(uuid[]) to anon, authenticated, service_role;

alter table public.proposal_supports enable row level security;
create policy "people see their own supports" on public.proposal_supports for select to authenticated
  using (user_id = (select auth.uid()));
create policy "signed-in people support open proposals where voting is open" on public.proposal_supports for insert to authenticated
  with check (user_id = (select auth.uid()) and (select private.proposal_is_open(proposal_id))
    and (select private.component_allows(component_id, 'vote')));
create policy "people withdraw their support while voting is open" on public.proposal_supports for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.component_allows(component_id, 'vote')));
revoke insert, update, delete on public.proposal_supports from anon;
revoke insert, update on public.proposal_supports from authenticated;
grant insert (proposal_id) on public.proposal_supports to authenticated;

alter table public.proposal_support_tallies enable row level security;
create policy "people see their own tally" on public.proposal_support_tallies for select to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.proposal_support_tallies from anon, authenticated;
