-- The spaces' own notification: a process moving to its next phase tells the people who follow
-- the space (and, in a private space, its members), whoever activated it (an admin, or the
-- `spaces.activate-phases` job when the phase's start date came).

insert into public.notification_kinds (kind, feature) values ('spaces.phase_changed', 'spaces');

create or replace function private.phases_notify_activation() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.active and not old.active then
    perform private.raise_notification(
      kind => 'spaces.phase_changed',
      space_id => new.space_id,
      audiences => array['space_followers', 'space_members'],
      data => jsonb_build_object('phase_id', new.id, 'phase_title', new.title));
  end if;
  return null;
end $$;
create trigger phases_notify_activation after update of active on public.phases
  for each row execute function private.phases_notify_activation();
