-- A notification is dated when its event happened (the change that raised it), not when a worker
-- delivered it: the page lists them in the order things happened, and a digest's day is the day
-- of the events, whichever worker delivered them when.
create or replace function private.deliver_notification_event(event bigint) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  e public.notification_events;
  everyone boolean;
  title jsonb;
  told integer;
begin
  select * into e from public.notification_events where id = event for update;
  if not found or e.delivered_at is not null then
    return 0;
  end if;
  -- What a signed-out visitor sees, every signed-in person sees: asked once, not per person.
  everyone := private.event_visible_to(null, e);
  title := private.event_title(e);
  with candidates as (
    select unnest(e.recipients) as user_id, true as named
    union all
    select f.user_id, false from public.follows f
    where 'followers' = any (e.audiences) and f.resource_type = e.resource_type and f.resource_id = e.resource_id
    union all
    select f.user_id, false from public.space_follows f where 'space_followers' = any (e.audiences) and f.space_id = e.space_id
    union all
    select m.user_id, false from public.space_members m where 'space_members' = any (e.audiences) and m.space_id = e.space_id
  ),
  people as (
    select c.user_id from candidates c
    group by c.user_id
    having bool_or(c.named) or c.user_id is distinct from e.actor_id
  ),
  eligible as (
    select p.user_id,
           private.email_frequency(s.email, k.default_email, k.mention, pp.email_on_notification, pp.email_on_mention,
                                   pp.notifications_digest, u.email is not null and u.email <> '') as email
    from people p
    join auth.users u on u.id = p.user_id
    join public.notification_kinds k on k.kind = e.kind
    left join public.profile_preferences pp on pp.id = p.user_id
    left join public.notification_settings s on s.user_id = p.user_id and s.kind = e.kind
    where not p.user_id = any (e.except_ids)
      -- Blocked (banned) and deleted accounts hear nothing.
      and u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())
      and (everyone or private.event_visible_to(p.user_id, e))
  ),
  inserted as (
    insert into public.notifications (user_id, kind, resource_type, resource_id, data, event_id, email, emailed_at, created_at)
    select el.user_id, e.kind, e.resource_type, e.resource_id,
           e.data || jsonb_strip_nulls(jsonb_build_object('space_id', e.space_id, 'component_id', e.component_id,
                                                          'actor_id', e.actor_id, 'title', title)),
           e.id, el.email, case when el.email = 'immediate' then now() end, e.created_at
    from eligible el
    on conflict (event_id, user_id) do nothing
    returning id, user_id, email
  ),
  mailed as (
    insert into public.notification_emails (user_id, frequency, notification_ids)
    select i.user_id, 'immediate', array[i.id] from inserted i where i.email = 'immediate'
    returning 1
  )
  select count(*) into told from inserted;
  update public.notification_events set delivered_at = now(), recipients_count = told where id = e.id;
  return told;
end $$;
