-- The `surveys` feature's notifications (core notifications: `private.raise_notification`): a
-- survey opened in a space one follows — its component published — to the space's followers
-- (and a private space's members), with its answering window when it has one. Who may see it is
-- the core's to check (the component's visibility).

insert into public.notification_kinds (kind, feature, default_email) values ('surveys.opened', 'surveys', null);

create or replace function private.surveys_notify_opened() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  s record;
begin
  if new.published_at is not null and (tg_op = 'INSERT' or old.published_at is null) then
    select x.starts_at, x.ends_at into s from public.surveys x where x.component_id = new.id;
    perform private.raise_notification(
      kind => 'surveys.opened', resource_type => 'survey', resource_id => new.id, component_id => new.id,
      space_id => new.space_id, audiences => array['space_followers', 'space_members'],
      data => jsonb_strip_nulls(jsonb_build_object('starts_at', s.starts_at, 'ends_at', s.ends_at)));
  end if;
  return null;
end $$;
create trigger components_surveys_notify_opened after insert or update of published_at on public.components
  for each row when (new.feature = 'surveys') execute function private.surveys_notify_opened();
