-- The `debates` feature's notifications (core notifications: `private.raise_notification`), each
-- raised in the transaction of the change: a new debate to the space's followers (and a private
-- space's members), its closing with conclusions, its reopening and its information updates to
-- the debate's followers (its author follows it from the start; named too when the organization
-- closes it, in case they stopped following). Who may see the debate (private space, unpublished
-- component, hidden debate) is the core's to check, through the registry's `can_view`.

insert into public.notification_kinds (kind, feature, default_email) values
  ('debates.created', 'debates', null),
  ('debates.closed', 'debates', null),
  ('debates.reopened', 'debates', null),
  ('debates.updated', 'debates', null);

-- What a debate is called in a notification.
create or replace function private.debate_title(debate uuid) returns text
language sql stable security definer set search_path = '' as $$
  select d.title from public.debates d where d.id = debate
$$;
revoke all on function private.debate_title(uuid) from public, anon, authenticated;
update public.resource_types set title_of = 'private.debate_title(uuid)' where resource_type = 'debate';

create or replace function private.debates_notify_created() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.hidden_at is null and new.withdrawn_at is null then
    perform private.raise_notification(
      kind => 'debates.created', resource_type => 'debate', resource_id => new.id, component_id => new.component_id,
      space_id => new.space_id, audiences => array['space_followers', 'space_members'],
      except_ids => array_remove(array[new.author_id], null), actor_id => coalesce(new.author_id, (select auth.uid())),
      data => jsonb_build_object('official', new.official));
  end if;
  return null;
end $$;
create trigger debates_notify_created after insert on public.debates
  for each row execute function private.debates_notify_created();

create or replace function private.debates_notify_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  actor uuid := (select auth.uid());
  author uuid[] := case when new.author_id is not null and new.author_id is distinct from (select auth.uid()) then array[new.author_id] else '{}' end;
begin
  if new.hidden_at is not null or new.withdrawn_at is not null then
    return null;
  end if;
  if old.closed_at is null and new.closed_at is not null then
    perform private.raise_notification(
      kind => 'debates.closed', resource_type => 'debate', resource_id => new.id, component_id => new.component_id,
      space_id => new.space_id, recipients => author, audiences => array['followers'], actor_id => coalesce(new.closed_by, actor));
  elsif old.closed_at is not null and new.closed_at is null then
    perform private.raise_notification(
      kind => 'debates.reopened', resource_type => 'debate', resource_id => new.id, component_id => new.component_id,
      space_id => new.space_id, recipients => author, audiences => array['followers'], actor_id => actor);
  end if;
  if new.information_updates is distinct from old.information_updates and new.information_updates <> '{}'::jsonb then
    perform private.raise_notification(
      kind => 'debates.updated', resource_type => 'debate', resource_id => new.id, component_id => new.component_id,
      space_id => new.space_id, recipients => author, audiences => array['followers'], actor_id => actor);
  end if;
  return null;
end $$;
create trigger debates_notify_changed after update of closed_at, information_updates on public.debates
  for each row execute function private.debates_notify_changed();
