-- The `proposals` feature's notifications (core notifications: `private.raise_notification`),
-- each raised in the transaction of the change: a confirmation to the authors of a published
-- proposal, the space's followers told of it, the published answer (a state) to the proposal's
-- followers, an amendment to the amended proposal's authors and followers, the answer to an
-- amendment to its authors, an invitation to co-author to the invitee. The recipients' rights
-- are the core's to check (what they may see); nothing is raised about a hidden proposal.

insert into public.notification_kinds (kind, feature, default_email) values
  ('proposals.submitted', 'proposals', 'immediate'),
  ('proposals.published', 'proposals', null),
  ('proposals.answered', 'proposals', null),
  ('proposals.amended', 'proposals', null),
  ('proposals.amendment_answered', 'proposals', null),
  ('proposals.coauthor_invited', 'proposals', 'immediate');

-- What a proposal is called in a notification.
create or replace function private.proposal_title(proposal uuid) returns text
language sql stable security definer set search_path = '' as $$
  select p.title from public.proposals p where p.id = proposal
$$;
revoke all on function private.proposal_title(uuid) from public, anon, authenticated;
update public.resource_types set title_of = 'private.proposal_title(uuid)' where resource_type = 'proposal';

-- The accepted authors of a proposal.
create or replace function private.proposal_author_ids(proposal uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(a.user_id), '{}') from public.proposal_coauthors a where a.proposal_id = proposal and a.status = 'accepted'
$$;
revoke all on function private.proposal_author_ids(uuid) from public, anon, authenticated;

-- Published by its authors (at once, or a draft published): the authors' confirmation and the
-- space's followers; an amendment: the amended proposal's authors and followers. Copies made by
-- the admins' tools (merge, split, import, a promoted amendment: `origin_ids`) are not news.
create or replace function private.proposals_notify_published() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.published_at is null or (tg_op = 'UPDATE' and old.published_at is not null)
     or cardinality(new.origin_ids) > 0 or new.hidden_at is not null then
    return null;
  end if;
  if new.amends_id is null then
    perform private.raise_notification(
      kind => 'proposals.submitted', resource_type => 'proposal', resource_id => new.id, component_id => new.component_id,
      recipients => private.proposal_author_ids(new.id) || array_remove(array[new.author_id], null));
    perform private.raise_notification(
      kind => 'proposals.published', resource_type => 'proposal', resource_id => new.id, component_id => new.component_id,
      audiences => array['space_followers'],
      except_ids => private.proposal_author_ids(new.id) || array_remove(array[new.author_id], null));
  else
    perform private.raise_notification(
      kind => 'proposals.amended', resource_type => 'proposal', resource_id => new.amends_id, component_id => new.component_id,
      subject_type => 'proposal', subject_id => new.id,
      recipients => private.proposal_author_ids(new.amends_id), audiences => array['followers'],
      except_ids => private.proposal_author_ids(new.id) || array_remove(array[new.author_id], null),
      data => jsonb_build_object('amendment_id', new.id));
  end if;
  return null;
end $$;
create trigger proposals_notify_published after insert or update of published_at on public.proposals
  for each row execute function private.proposals_notify_published();

-- An amendment accepted or rejected: its authors are told.
create or replace function private.proposals_notify_amendment_answered() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.amendment_state = 'evaluating' and new.amendment_state in ('accepted', 'rejected') and new.hidden_at is null then
    perform private.raise_notification(
      kind => 'proposals.amendment_answered', resource_type => 'proposal', resource_id => new.id, component_id => new.component_id,
      recipients => private.proposal_author_ids(new.id),
      data => jsonb_build_object('amendment_state', new.amendment_state, 'amended_id', new.amends_id));
  end if;
  return null;
end $$;
create trigger proposals_notify_amendment_answered after update of amendment_state on public.proposals
  for each row execute function private.proposals_notify_amendment_answered();

-- The published answer: as before, plus its followers told through the core (not of a hidden
-- proposal: they can no longer open it), with the state's name.
create or replace function private.proposal_answers_publish() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p record;
begin
  if new.published_at is not null then
    update public.proposals
    set state_id = new.state_id, answer = new.answer, answered_at = new.published_at,
        cost = new.cost, cost_report = new.cost_report, execution_period = new.execution_period
    where id = new.proposal_id
    returning id, component_id, hidden_at into p;
    if p.id is not null and p.hidden_at is null then
      perform private.raise_notification(
        kind => 'proposals.answered', resource_type => 'proposal', resource_id => new.proposal_id, component_id => p.component_id,
        audiences => array['followers'],
        data => jsonb_build_object('state_id', new.state_id,
                                   'state', (select s.name from public.proposal_states s where s.id = new.state_id)));
    end if;
  end if;
  return null;
end $$;

-- Co-authors: as before (counts, the accepted co-author follows), the invitation raised through the core.
create or replace function private.proposal_coauthors_after_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  pid uuid := coalesce(new.proposal_id, old.proposal_id);
begin
  update public.proposals set authors_count = (
    select count(*) from public.proposal_coauthors a where a.proposal_id = pid and a.status = 'accepted')
  where id = pid;
  if tg_op = 'INSERT' and new.status = 'invited' then
    perform private.raise_notification(
      kind => 'proposals.coauthor_invited', resource_type => 'proposal', resource_id => new.proposal_id,
      component_id => (select p.component_id from public.proposals p where p.id = new.proposal_id),
      recipients => array[new.user_id], actor_id => new.invited_by,
      data => jsonb_build_object('invited_by', new.invited_by));
  end if;
  if tg_op = 'UPDATE' and new.status = 'accepted' then
    insert into public.follows (resource_type, resource_id, user_id) values ('proposal', new.proposal_id, new.user_id)
    on conflict do nothing;
  end if;
  return null;
end $$;
