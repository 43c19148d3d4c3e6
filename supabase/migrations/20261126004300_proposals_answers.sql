-- The `proposals` feature, answers and evaluation: internal answers published at once or in bulk, the evaluators
-- space admins assign, and their private notes. Split from the proposals core migration by concern; the
-- core (…4000_proposals.sql) holds the proposals themselves, their visibility and their counters.

-- The internal answer: written by space admins and the proposal's evaluators, copied to the
-- proposal when published (at once or in bulk, per the component's settings).
create table public.proposal_answers (
  proposal_id uuid primary key references public.proposals (id) on delete cascade,
  component_id uuid not null,
  state_id uuid,
  answer jsonb not null default '{}',
  cost numeric(14, 2),
  cost_report jsonb not null default '{}',
  execution_period jsonb not null default '{}',
  answered_by uuid references public.profiles (id) on delete set null default auth.uid(),
  answered_at timestamptz not null default now(),
  published_at timestamptz,
  foreign key (component_id, state_id) references public.proposal_states (component_id, id),
  constraint proposal_answers_texts check (
    private.is_translated(answer) and private.is_translated(cost_report) and private.is_translated(execution_period)),
  constraint proposal_answers_cost check (cost is null or cost >= 0)
);

create table public.proposal_evaluators (
  proposal_id uuid not null references public.proposals (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  assigned_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (proposal_id, user_id)
);
create index proposal_evaluators_user_idx on public.proposal_evaluators (user_id);

-- Private notes of admins and evaluators on a proposal, with replies one level deep.
create table public.proposal_notes (
  id uuid primary key default gen_random_uuid(),
  proposal_id uuid not null references public.proposals (id) on delete cascade,
  parent_id uuid references public.proposal_notes (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  body text not null,
  created_at timestamptz not null default now(),
  constraint proposal_notes_body check (char_length(btrim(body)) between 1 and 5000)
);
create index proposal_notes_proposal_idx on public.proposal_notes (proposal_id, created_at);

-- ---------------------------------------------------------------------------------------------
-- Who answers
-- ---------------------------------------------------------------------------------------------

create or replace function private.is_proposal_evaluator(proposal uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select (select auth.uid()) is not null and exists (
    select 1 from public.proposal_evaluators e where e.proposal_id = proposal and e.user_id = (select auth.uid()))
$$;

-- Space admins answer every proposal of the space; evaluators the ones assigned to them. Drafts
-- are their authors' only: nobody answers them (nor evaluates them).
create or replace function private.can_answer_proposal(proposal uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.proposals p where p.id = proposal and p.published_at is not null
      and (private.has_space_role(p.space_id, 'admin')
        or (private.has_space_role(p.space_id, 'evaluator') and private.is_proposal_evaluator(p.id))))
$$;



-- ---------------------------------------------------------------------------------------------
-- Answers: internal, then published (at once, or in bulk)
-- ---------------------------------------------------------------------------------------------

-- Runs as the caller (not security definer) so that `is_api_role()` tells a person's answer from
-- a trusted function's; those who answer can read the proposal and its component.
create or replace function private.proposal_answers_before_write() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
begin
  select p.component_id, c.settings into comp from public.proposals p join public.components c on c.id = p.component_id
  where p.id = new.proposal_id;
  if private.is_api_role() and not private.bool_setting(comp.settings, 'proposal_answering_enabled', true) then
    raise exception 'answers are not enabled here' using errcode = '23514', constraint = 'proposal_answers_enabled';
  end if;
  new.component_id := comp.component_id;
  new.answered_at := now();
  new.answered_by := coalesce((select auth.uid()), new.answered_by);
  if (new.cost is not null or new.cost_report <> '{}' or new.execution_period <> '{}')
     and not private.bool_setting(comp.settings, 'answers_with_costs') then
    raise exception 'answers do not carry costs here' using errcode = '23514', constraint = 'proposal_answers_costs';
  end if;
  if private.bool_setting(comp.settings, 'publish_answers_immediately', true) then
    new.published_at := now();
  elsif tg_op = 'UPDATE' and new.published_at is not distinct from old.published_at then
    -- A changed answer waits to be published again.
    new.published_at := null;
  end if;
  return new;
end $$;
create trigger proposal_answers_before_write before insert or update on public.proposal_answers
  for each row execute function private.proposal_answers_before_write();

create or replace function private.proposal_answers_publish() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.published_at is not null then
    update public.proposals
    set state_id = new.state_id, answer = new.answer, answered_at = new.published_at,
        cost = new.cost, cost_report = new.cost_report, execution_period = new.execution_period
    where id = new.proposal_id;
    insert into public.notifications (user_id, kind, resource_type, resource_id, data)
    select f.user_id, 'proposals.answered', 'proposal', new.proposal_id, jsonb_build_object('state_id', new.state_id)
    from public.follows f where f.resource_type = 'proposal' and f.resource_id = new.proposal_id
      -- Followers of a hidden proposal are not told about it (they can no longer open it).
      and not exists (select 1 from public.proposals p where p.id = new.proposal_id and p.hidden_at is not null);
  end if;
  return null;
end $$;
create trigger proposal_answers_publish after insert or update on public.proposal_answers
  for each row execute function private.proposal_answers_publish();

-- Publishes the waiting answers of these proposals (Decidim's "publish answers" bulk action).
create or replace function public.publish_proposal_answers(ids uuid[]) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  n integer;
begin
  if exists (select 1 from unnest(ids) i where not private.can_answer_proposal(i)) then
    raise exception 'only those who answer publish answers' using errcode = '42501';
  end if;
  update public.proposal_answers a set published_at = now()
  where a.proposal_id = any (ids) and a.published_at is null;
  get diagnostics n = row_count;
  return n;
end $$;

alter table public.proposal_answers enable row level security;
create policy "answers are read by those who answer" on public.proposal_answers for select to authenticated
  using ((select private.can_answer_proposal(proposal_id)));
create policy "admins and the proposal's evaluators answer" on public.proposal_answers for insert to authenticated
  with check ((select private.can_answer_proposal(proposal_id)));
create policy "admins and the proposal's evaluators change answers" on public.proposal_answers for update to authenticated
  using ((select private.can_answer_proposal(proposal_id))) with check ((select private.can_answer_proposal(proposal_id)));
revoke all on public.proposal_answers from anon;
revoke insert, update, delete on public.proposal_answers from authenticated;
grant insert (proposal_id, state_id, answer, cost, cost_report, execution_period) on public.proposal_answers to authenticated;
grant update (state_id, answer, cost, cost_report, execution_period) on public.proposal_answers to authenticated;

alter table public.proposal_evaluators enable row level security;
create policy "assignments for space admins and the evaluator" on public.proposal_evaluators for select to authenticated
  using (user_id = (select auth.uid())
    or (select private.has_space_role((select p.space_id from public.proposals p where p.id = proposal_id), 'admin')));
create policy "space admins assign evaluators of the space" on public.proposal_evaluators for insert to authenticated
  with check ((select private.has_space_role((select p.space_id from public.proposals p where p.id = proposal_id), 'admin'))
    and exists (select 1 from public.proposals p join public.space_roles r on r.space_id = p.space_id
                where p.id = proposal_id and r.user_id = proposal_evaluators.user_id and r.role = 'evaluator'));
create policy "space admins unassign evaluators" on public.proposal_evaluators for delete to authenticated
  using ((select private.has_space_role((select p.space_id from public.proposals p where p.id = proposal_id), 'admin')));
revoke insert, update, delete on public.proposal_evaluators from anon;
revoke update on public.proposal_evaluators from authenticated;

-- A reply's parent is a note of the same proposal that is not itself a reply (read as the owner:
-- a policy on proposal_notes reading proposal_notes would recurse).
create or replace function private.is_proposal_note_thread(parent uuid, proposal uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.proposal_notes n where n.id = parent and n.proposal_id = proposal and n.parent_id is null)
$$;
grant execute on function private.is_proposal_note_thread(uuid, uuid) to authenticated, service_role;

alter table public.proposal_notes enable row level security;
create policy "notes for admins and the proposal's evaluators" on public.proposal_notes for select to authenticated
  using ((select private.can_answer_proposal(proposal_id)));
create policy "admins and the proposal's evaluators write notes" on public.proposal_notes for insert to authenticated
  with check (author_id = (select auth.uid()) and (select private.can_answer_proposal(proposal_id))
    and (parent_id is null or (select private.is_proposal_note_thread(parent_id, proposal_id))));
revoke insert, update, delete on public.proposal_notes from anon;
revoke update, delete on public.proposal_notes from authenticated;

create trigger proposal_answers_log after insert or update on public.proposal_answers
  for each row execute function private.log_admin_change();
create trigger proposal_evaluators_log after insert or delete on public.proposal_evaluators
  for each row execute function private.log_admin_change();

grant execute on function private.is_proposal_evaluator(uuid), private.can_answer_proposal(uuid) to anon, authenticated, service_role;
revoke execute on function public.publish_proposal_answers(uuid[]) from public, anon;
grant execute on function public.publish_proposal_answers(uuid[]) to authenticated, service_role;
