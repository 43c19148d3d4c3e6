-- The `budgets` feature's notifications (core notifications: `private.raise_notification`): a
-- project selected (the confirmed results) to the project's followers; a confirmation of one's
-- own vote at checkout, and the reminder of a ballot left unconfirmed, to the voter alone. Both
-- of the latter go out at once unless the person chose otherwise, and so get what every
-- notification email has (the organization as sender, the person's language, the unsubscribe
-- link and one-click headers). A ballot's content is never in an event: only its budget and
-- how many projects it holds (the vote is secret; the event is read by the workers only).

insert into public.notification_kinds (kind, feature, default_email) values
  ('budgets.project_selected', 'budgets', null),
  ('budgets.vote_checked_out', 'budgets', 'immediate'),
  ('budgets.vote_reminder', 'budgets', 'immediate');

-- What a project is called in a notification.
create or replace function private.project_title(project uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select p.title from public.projects p where p.id = project
$$;
revoke all on function private.project_title(uuid) from public, anon, authenticated;
update public.resource_types set title_of = 'private.project_title(uuid)' where resource_type = 'project';

-- Selected by the confirmed results (not when a confirmation is taken back).
create or replace function private.projects_notify_selected() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.selected_at is null and new.selected_at is not null then
    perform private.raise_notification(
      kind => 'budgets.project_selected', resource_type => 'project', resource_id => new.id, component_id => new.component_id,
      audiences => array['followers'], data => jsonb_build_object('budget_id', new.budget_id));
  end if;
  return null;
end $$;
create trigger projects_notify_selected after update of selected_at on public.projects
  for each row execute function private.projects_notify_selected();

-- The voter's confirmation, in the checkout's transaction.
create or replace function private.ballots_notify_checked_out() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.checked_out_at is null and new.checked_out_at is not null and new.user_id is not null then
    perform private.raise_notification(
      kind => 'budgets.vote_checked_out', component_id => new.component_id, recipients => array[new.user_id],
      actor_id => new.user_id,
      data => jsonb_build_object('budget_id', new.budget_id, 'budget', (select b.title from public.budgets b where b.id = new.budget_id),
                                 'projects_count', new.lines_count));
  end if;
  return null;
end $$;
create trigger ballots_notify_checked_out after update of checked_out_at on public.ballots
  for each row execute function private.ballots_notify_checked_out();

-- The `budgets.remind` job: every ballot unconfirmed for the component's `reminder_delay_hours`
-- (0: never) while the vote is open gets its reminder raised and is marked reminded, up to `max`
-- per call, in one statement (locked with skip locked: parallel runs never remind a ballot twice;
-- the mark and the event commit together).
create or replace function private.budgets_raise_vote_reminders(max integer default 1000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  raised integer;
begin
  with due as (
    select o.id from public.ballots o
    join public.components c on c.id = o.component_id
    join public.spaces s on s.id = c.space_id
    where o.checked_out_at is null and o.reminded_at is null and o.lines_count > 0 and o.user_id is not null
      and c.published_at is not null and s.published_at is not null
      and private.budgets_votes(o.component_id) = 'enabled'
      and coalesce((c.settings ->> 'reminder_delay_hours')::numeric, 24) > 0
      and o.updated_at < now() - make_interval(hours => coalesce((c.settings ->> 'reminder_delay_hours')::numeric, 24)::integer)
    order by o.updated_at
    limit max
    for update of o skip locked
  ),
  marked as (
    update public.ballots o set reminded_at = now() from due where o.id = due.id
    returning o.id, o.budget_id, o.component_id, o.user_id, o.lines_count
  )
  select count(private.raise_notification(
           kind => 'budgets.vote_reminder', component_id => m.component_id, recipients => array[m.user_id], actor_id => m.user_id,
           data => jsonb_build_object('budget_id', m.budget_id, 'budget', b.title, 'projects_count', m.lines_count)))
  into raised
  from marked m join public.budgets b on b.id = m.budget_id;
  return raised;
end $$;
revoke all on function private.budgets_raise_vote_reminders(integer) from public, anon, authenticated;
grant execute on function private.budgets_raise_vote_reminders(integer) to service_role;
