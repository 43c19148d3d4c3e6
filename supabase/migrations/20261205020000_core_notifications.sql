-- Notifications, the platform's part: one way for every feature to raise an event, recorded in the
-- transaction of the change that causes it (a rolled-back change tells nobody), and delivered by
-- the pg-boss workers (`workers/notifications/`): recipients computed here in one statement per
-- event, told only what they may see (the same functions the read policies call, asked as them),
-- exactly once per person and event; in-app rows, a live unread count on a private channel per
-- person, and the emails each person chose (at once, a daily or a weekly digest, or never).
-- Features register their kinds in `notification_kinds` and call `private.raise_notification`
-- from their own migrations; nothing here names a feature. CONTRIBUTING.md, "Raising a
-- notification", is the short guide.

-- ---------------------------------------------------------------------------------------------
-- Kinds: registered by the features (their TypeScript declares the same kinds with their texts)
-- ---------------------------------------------------------------------------------------------

create table public.notification_kinds (
  kind text primary key,
  -- The feature whose migration registered it.
  feature text not null,
  -- How its email goes out unless the person chose otherwise for this kind: null follows the
  -- person's general choice; a confirmation of one's own action is 'immediate'.
  default_email text,
  -- Follows the person's "when someone mentions me" switch instead of "my notifications".
  mention boolean not null default false,
  constraint notification_kinds_kind check (kind ~ '^[a-z][a-z_]{1,39}\.[a-z][a-z_]{1,39}$'),
  constraint notification_kinds_feature check (feature ~ '^[a-z][a-z_]{1,39}$' and kind like feature || '.%'),
  constraint notification_kinds_default_email check (default_email in ('immediate', 'daily', 'weekly', 'never'))
);
alter table public.notification_kinds enable row level security;
create policy "notification kinds are public" on public.notification_kinds for select to anon, authenticated using (true);
revoke insert, update, delete on public.notification_kinds from anon, authenticated;

-- What a resource is called in a notification (its title, as text or translated jsonb), when its
-- feature says so; else the component's name.
alter table public.resource_types add column title_of regprocedure;

-- ---------------------------------------------------------------------------------------------
-- Per person and kind: how often its emails go out
-- ---------------------------------------------------------------------------------------------

create table public.notification_settings (
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  kind text not null references public.notification_kinds (kind) on delete cascade,
  email text not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind),
  constraint notification_settings_email check (email in ('immediate', 'daily', 'weekly', 'never'))
);
create trigger notification_settings_touch before update on public.notification_settings
  for each row execute function private.touch_updated_at();
alter table public.notification_settings enable row level security;
create policy "people read their notification settings" on public.notification_settings for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people choose their notification settings" on public.notification_settings for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "people change their notification settings" on public.notification_settings for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "people reset their notification settings" on public.notification_settings for delete to authenticated
  using (user_id = (select auth.uid()));
revoke all on public.notification_settings from anon;
revoke insert, update on public.notification_settings from authenticated;
grant insert (kind, email) on public.notification_settings to authenticated;
grant update (email) on public.notification_settings to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Following a space (Decidim lets people follow processes and assemblies): what is new in it
-- ---------------------------------------------------------------------------------------------

create table public.space_follows (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (space_id, user_id)
);
create index space_follows_user_idx on public.space_follows (user_id);
alter table public.space_follows enable row level security;
create policy "people see the spaces they follow" on public.space_follows for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people follow published spaces they see" on public.space_follows for insert to authenticated
  with check (user_id = (select auth.uid())
    and exists (select 1 from public.spaces s where s.id = space_id and s.published_at is not null));
create policy "people unfollow spaces" on public.space_follows for delete to authenticated
  using (user_id = (select auth.uid()));
revoke all on public.space_follows from anon;
revoke insert, update on public.space_follows from authenticated;
grant insert (space_id) on public.space_follows to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Events: the outbox the workers deliver (never reachable through the API)
-- ---------------------------------------------------------------------------------------------

create table public.notification_events (
  id bigint generated always as identity primary key,
  kind text not null references public.notification_kinds (kind),
  resource_type text references public.resource_types (resource_type),
  resource_id uuid,
  -- What the recipients must be able to see besides the resource (a reply in its thread).
  subject_type text references public.resource_types (resource_type),
  subject_id uuid,
  component_id uuid references public.components (id) on delete cascade,
  space_id uuid references public.spaces (id) on delete cascade,
  -- Whoever caused it: never told of it through an audience (they may be named as a recipient).
  actor_id uuid references public.profiles (id) on delete set null,
  -- People named by the feature (authors, the person mentioned…), computed set-based in its SQL.
  recipients uuid[] not null default '{}',
  -- Groups the core computes: the resource's followers, the space's followers, its private members.
  audiences text[] not null default '{}',
  -- Told by another event of the same change already (a reply that also mentions them…).
  except_ids uuid[] not null default '{}',
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  recipients_count integer,
  constraint notification_events_audiences check (audiences <@ array['followers', 'space_followers', 'space_members']),
  constraint notification_events_resource check ((resource_type is null) = (resource_id is null)),
  constraint notification_events_subject check ((subject_type is null) = (subject_id is null)),
  constraint notification_events_data check (jsonb_typeof(data) = 'object' and pg_column_size(data) < 8192)
);
create index notification_events_pending_idx on public.notification_events (id) where delivered_at is null;
alter table public.notification_events enable row level security;
revoke all on public.notification_events from anon, authenticated;

-- In-app rows: one per person and event, whatever retries and crashes happen; how its email goes
-- out was decided when it was delivered (the person's choice then), and when it went into one.
alter table public.notifications
  add column event_id bigint,
  add column email text,
  add column emailed_at timestamptz,
  add constraint notifications_email check (email in ('immediate', 'daily', 'weekly', 'never'));
create unique index notifications_event_user_key on public.notifications (event_id, user_id);
create index notifications_unread_idx on public.notifications (user_id) where read_at is null;
create index notifications_digest_due_idx on public.notifications (email, created_at) where emailed_at is null and email in ('daily', 'weekly');

-- The emails of notifications: one per notification sent at once, one digest per person and
-- period. Sent by the workers (claimed, streamed, marked sent, then ended: see src/lib/mail).
create table public.notification_emails (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  frequency text not null,
  -- A digest's period: its first day in the organization's time zone (a week starts on Monday).
  period date,
  notification_ids uuid[] not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  constraint notification_emails_frequency check (frequency in ('immediate', 'daily', 'weekly')),
  constraint notification_emails_period check ((frequency = 'immediate') = (period is null)),
  constraint notification_emails_status check (status in ('pending', 'sent', 'failed', 'skipped')),
  unique (user_id, frequency, period)
);
create index notification_emails_pending_idx on public.notification_emails (id) where status = 'pending';
alter table public.notification_emails enable row level security;
revoke all on public.notification_emails from anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Raising an event (from a feature's trigger or function, in the transaction of the change)
-- ---------------------------------------------------------------------------------------------

create or replace function private.raise_notification(
  kind text,
  resource_type text default null,
  resource_id uuid default null,
  component_id uuid default null,
  space_id uuid default null,
  recipients uuid[] default '{}',
  audiences text[] default '{}',
  except_ids uuid[] default '{}',
  data jsonb default '{}',
  subject_type text default null,
  subject_id uuid default null,
  actor_id uuid default null
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  event bigint;
  space uuid := raise_notification.space_id;
  named uuid[] := array(select distinct r from unnest(coalesce(raise_notification.recipients, '{}')) r where r is not null);
begin
  if cardinality(named) = 0 and cardinality(coalesce(raise_notification.audiences, '{}')) = 0 then
    return null;
  end if;
  if space is null and raise_notification.component_id is not null then
    select c.space_id into space from public.components c where c.id = raise_notification.component_id;
  end if;
  insert into public.notification_events (kind, resource_type, resource_id, subject_type, subject_id, component_id, space_id,
                                          actor_id, recipients, audiences, except_ids, data)
  values (raise_notification.kind, raise_notification.resource_type, raise_notification.resource_id,
          raise_notification.subject_type, raise_notification.subject_id, raise_notification.component_id, space,
          coalesce(raise_notification.actor_id, (select auth.uid())), named, coalesce(raise_notification.audiences, '{}'),
          coalesce(raise_notification.except_ids, '{}'), coalesce(raise_notification.data, '{}'))
  returning id into event;
  -- Heard by the workers only once this transaction commits; a rollback tells nobody.
  perform pg_notify('decidons_notification_events', event::text);
  return event;
end $$;
revoke all on function private.raise_notification(text, text, uuid, uuid, uuid, uuid[], text[], uuid[], jsonb, text, uuid, uuid)
  from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Visibility, as the read policies decide it, for someone else than the caller
-- ---------------------------------------------------------------------------------------------

-- May the caller see this registered resource? Its feature's `can_view`, else "its component is
-- given to the caller" (`component_of`).
create or replace function private.resource_viewable(resource_type text, resource_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  t record;
  ok boolean;
begin
  select r.can_view::oid::regproc as can_view, r.component_of::oid::regproc as component_of into t
  from public.resource_types r where r.resource_type = resource_viewable.resource_type;
  if not found then
    return false;
  end if;
  if t.can_view is not null then
    execute format('select %s($1)', t.can_view) into ok using resource_id;
  else
    execute format('select %s($1) is not null', t.component_of) into ok using resource_id;
  end if;
  return coalesce(ok, false);
end $$;
revoke all on function private.resource_viewable(text, uuid) from public, anon, authenticated;

-- Would `person` (null: a signed-out visitor) see what this event is about? The same helpers the
-- read policies call, asked with `person`'s claims for the time of the call: what RLS would let
-- them read is what they are told about (private spaces, unpublished components, drafts, hidden
-- and moderated content), with no second copy of those rules to drift.
create or replace function private.event_visible_to(person uuid, e public.notification_events) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  claims text := current_setting('request.jwt.claims', true);
  sub text := current_setting('request.jwt.claim.sub', true);
  ok boolean;
begin
  perform set_config('request.jwt.claims',
                     case when person is null then '{"role": "anon"}' else json_build_object('sub', person, 'role', 'authenticated')::text end,
                     true);
  perform set_config('request.jwt.claim.sub', coalesce(person::text, ''), true);
  begin
    ok := (e.space_id is null or private.can_view_space(e.space_id))
      and (e.component_id is null or private.can_view_component(e.component_id))
      and (e.resource_type is null or private.resource_viewable(e.resource_type, e.resource_id))
      and (e.subject_type is null or private.resource_viewable(e.subject_type, e.subject_id));
  exception when others then
    perform set_config('request.jwt.claims', coalesce(claims, ''), true);
    perform set_config('request.jwt.claim.sub', coalesce(sub, ''), true);
    raise;
  end;
  perform set_config('request.jwt.claims', coalesce(claims, ''), true);
  perform set_config('request.jwt.claim.sub', coalesce(sub, ''), true);
  return coalesce(ok, false);
end $$;
revoke all on function private.event_visible_to(uuid, public.notification_events) from public, anon, authenticated;

-- The title of an event's resource: its feature's `title_of`, else the component's name.
create or replace function private.event_title(e public.notification_events) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  title jsonb;
begin
  if e.resource_type is not null then
    select t.title_of::oid::regproc into fn from public.resource_types t where t.resource_type = e.resource_type;
    if fn is not null then
      execute format('select to_jsonb(%s($1))', fn) into title using e.resource_id;
    end if;
  end if;
  if title is null and e.component_id is not null then
    select c.name into title from public.components c where c.id = e.component_id;
  end if;
  if title is null and e.space_id is not null then
    select s.title into title from public.spaces s where s.id = e.space_id;
  end if;
  return title;
end $$;
revoke all on function private.event_title(public.notification_events) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Delivering an event: one statement computes its recipients, writes their rows and their emails
-- ---------------------------------------------------------------------------------------------

-- The email frequency of a kind for a person: their choice for it, else the kind's own default,
-- else their general choice ("my notifications", "mentions", the digest).
create or replace function private.email_frequency(chosen text, kind_default text, is_mention boolean, email_on_notification boolean,
                                                   email_on_mention boolean, digest text, has_email boolean) returns text
language sql immutable set search_path = '' as $$
  select case
    when not coalesce(has_email, false) then 'never'
    when chosen is not null then chosen
    when kind_default is not null then kind_default
    when is_mention and not coalesce(email_on_mention, true) then 'never'
    when not is_mention and not coalesce(email_on_notification, true) then 'never'
    when digest in ('daily', 'weekly') then digest
    else 'immediate'
  end
$$;

-- Delivers one event (the `notifications.deliver` job): locks it, computes its recipients, writes
-- one notification per person (a retry after a crash finds them and adds none), queues the emails
-- to send at once, marks it delivered. Returns how many people it told now.
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
    insert into public.notifications (user_id, kind, resource_type, resource_id, data, event_id, email, emailed_at)
    select el.user_id, e.kind, e.resource_type, e.resource_id,
           e.data || jsonb_strip_nulls(jsonb_build_object('space_id', e.space_id, 'component_id', e.component_id,
                                                          'actor_id', e.actor_id, 'title', title)),
           e.id, el.email, case when el.email = 'immediate' then now() end
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
revoke all on function private.deliver_notification_event(bigint) from public, anon, authenticated;
grant execute on function private.deliver_notification_event(bigint) to service_role;

-- Events not yet delivered (the sweep after a restart, or when no worker heard them).
create or replace function private.pending_notification_events(max integer default 1000) returns setof bigint
language sql stable security definer set search_path = '' as $$
  select e.id from public.notification_events e where e.delivered_at is null order by e.id limit max
$$;
revoke all on function private.pending_notification_events(integer) from public, anon, authenticated;
grant execute on function private.pending_notification_events(integer) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Digests: every person's pending notifications of a period in one statement, one email each
-- ---------------------------------------------------------------------------------------------

-- The periods that have ended, in the organization's time zone: yesterday, and last week
-- (Monday to Sunday), with the moment each ended.
create or replace function private.ended_digest_periods(at timestamptz default now())
returns table (frequency text, period date, ends_at timestamptz)
language sql stable security definer set search_path = '' as $$
  with z as (select coalesce((select o.time_zone from public.organization o limit 1), 'UTC') as tz)
  select 'daily', ((at at time zone z.tz)::date - 1), ((at at time zone z.tz)::date)::timestamp at time zone z.tz from z
  union all
  select 'weekly', (date_trunc('week', at at time zone z.tz)::date - 7), date_trunc('week', at at time zone z.tz) at time zone z.tz from z
$$;

-- Builds the digests of a period: for every person with notifications of this frequency not yet
-- emailed and delivered before the period ended, one email (a second run finds them emailed, and
-- the key (person, frequency, period) refuses a second digest). Returns how many it built.
create or replace function private.build_notification_digests(frequency text, period date, ends_at timestamptz) returns integer
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  built integer;
begin
  with due as (
    select n.user_id, array_agg(n.id order by n.created_at desc) as ids
    from public.notifications n
    where n.email = build_notification_digests.frequency and n.emailed_at is null and n.created_at < build_notification_digests.ends_at
    group by n.user_id
  ),
  made as (
    insert into public.notification_emails (user_id, frequency, period, notification_ids)
    select d.user_id, build_notification_digests.frequency, build_notification_digests.period, d.ids from due d
    on conflict (user_id, frequency, period) do nothing
    returning notification_ids
  ),
  marked as (
    update public.notifications n set emailed_at = now()
    where n.id in (select unnest(m.notification_ids) from made m)
    returning 1
  )
  select count(*) into built from made;
  return built;
end $$;
revoke all on function private.build_notification_digests(text, date, timestamptz) from public, anon, authenticated;
grant execute on function private.build_notification_digests(text, date, timestamptz), private.ended_digest_periods(timestamptz) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Live: the unread count on a private channel per person, after every change of their rows
-- ---------------------------------------------------------------------------------------------

create or replace function private.notifications_topic(person uuid) returns text
language sql immutable set search_path = '' as $$
  select 'notifications:' || person::text
$$;
grant execute on function private.notifications_topic(uuid) to anon, authenticated, service_role;

-- Statement-level: one message per person whose rows changed, carrying only their own count.
create or replace function private.notifications_broadcast_unread() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object('unread', (select count(*) from public.notifications n where n.user_id = t.user_id and n.read_at is null)),
    'unread', private.notifications_topic(t.user_id), true)
  from (select distinct c.user_id from changed c) t;
  return null;
end $$;
create trigger notifications_unread_after_insert after insert on public.notifications
  referencing new table as changed for each statement execute function private.notifications_broadcast_unread();
-- An update tells only the people whose rows were read or unread (a digest marking rows emailed
-- tells nobody).
create or replace function private.notifications_broadcast_read() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object('unread', (select count(*) from public.notifications n where n.user_id = t.user_id and n.read_at is null)),
    'unread', private.notifications_topic(t.user_id), true)
  from (select distinct a.user_id from after_rows a join before_rows b on b.id = a.id
        where a.read_at is distinct from b.read_at) t;
  return null;
end $$;
create trigger notifications_unread_after_update after update on public.notifications
  referencing old table as before_rows new table as after_rows
  for each statement execute function private.notifications_broadcast_read();
create trigger notifications_unread_after_delete after delete on public.notifications
  referencing old table as changed for each statement execute function private.notifications_broadcast_unread();

create policy "people hear their own notifications" on realtime.messages for select to authenticated
  using ((select realtime.topic()) = private.notifications_topic((select auth.uid())));

-- ---------------------------------------------------------------------------------------------
-- Unsubscribing from an email link, without signing in (the site checks the signed token)
-- ---------------------------------------------------------------------------------------------

-- `kind` null: every notification email; else that kind's emails only.
create or replace function private.unsubscribe_notification_emails(person uuid, kind text) returns void
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if unsubscribe_notification_emails.kind is null then
    update public.profile_preferences set email_on_notification = false, email_on_mention = false where id = person;
    insert into public.notification_settings (user_id, kind, email)
    select person, k.kind, 'never' from public.notification_kinds k
    on conflict (user_id, kind) do update set email = 'never';
  else
    insert into public.notification_settings (user_id, kind, email) values (person, unsubscribe_notification_emails.kind, 'never')
    on conflict (user_id, kind) do update set email = 'never';
  end if;
end $$;
revoke all on function private.unsubscribe_notification_emails(uuid, text) from public, anon, authenticated;
grant execute on function private.unsubscribe_notification_emails(uuid, text) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Sending: the workers claim pending emails with what they need to write them
-- ---------------------------------------------------------------------------------------------

-- Up to `max` pending emails, locked (skip locked) until the caller's transaction ends, with the
-- address (auth.users, which only the definer reads), language and name of each recipient and
-- the notifications each holds, newest first.
create or replace function private.claim_notification_emails(max integer)
returns table (id bigint, user_id uuid, frequency text, period text, email text, locale text, name text, items jsonb)
language sql security definer set search_path = '' as $$
  select e.id, e.user_id, e.frequency, e.period::text, u.email::text, p.locale, p.name,
         coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind, 'resource_type', n.resource_type,
                                                        'resource_id', n.resource_id, 'data', n.data, 'created_at', n.created_at,
                                                        'read_at', n.read_at) order by n.created_at desc)
                   from public.notifications n where n.id = any (e.notification_ids)), '[]')
  from public.notification_emails e
  join public.profiles p on p.id = e.user_id
  left join auth.users u on u.id = e.user_id and u.deleted_at is null
  where e.status = 'pending'
  order by e.id
  limit max
  for update of e skip locked
$$;
revoke all on function private.claim_notification_emails(integer) from public, anon, authenticated;
grant execute on function private.claim_notification_emails(integer) to service_role;
