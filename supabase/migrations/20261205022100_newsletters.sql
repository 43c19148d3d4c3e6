-- The `newsletters` feature (Decidim's admin newsletters): the organization's admins compose a
-- letter in French and English from blocks (text, an image by URL, a list of spaces, a list of
-- resources), keep it as a draft, preview it, send it to themselves; choose its audience (the
-- people who consented, restricted to the followers or the participants of chosen spaces, or of
-- the spaces of a taxonomy), see how many it will reach, then send it now or at a time to come.
-- Sending is the workers' (`workers/newsletters/`): one delivery row per recipient, written in
-- one statement, drained in batches exactly once (src/lib/mail), the progress broadcast on the
-- letter's private channel for its admins. A sent letter is read-only, with its statistics.
-- Nobody without consent receives one; unsubscribing from its link needs no sign-in.

-- ---------------------------------------------------------------------------------------------
-- Letters
-- ---------------------------------------------------------------------------------------------

create table public.newsletters (
  id uuid primary key default gen_random_uuid(),
  subject jsonb not null,
  -- [{"type": "text", "html": {…}} | {"type": "image", "url": …, "alt": {…}} | {"type": "spaces", "ids": […]}
  --  | {"type": "resources", "items": [{"type": …, "id": …}]}], HTML sanitised by the server.
  blocks jsonb not null default '[]',
  -- {"scope": "all" | "followers" | "participants", "spaces": [ids], "taxonomies": [ids]}
  audience jsonb not null default '{"scope": "all"}',
  status text not null default 'draft',
  scheduled_at timestamptz,
  sending_started_at timestamptz,
  sent_at timestamptz,
  recipients_count integer,
  delivered_count integer not null default 0,
  failed_count integer not null default 0,
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint newsletters_subject check (private.is_translated(subject, true) and pg_column_size(subject) < 4096),
  constraint newsletters_blocks check (jsonb_typeof(blocks) = 'array' and jsonb_array_length(blocks) <= 50 and pg_column_size(blocks) < 500000),
  constraint newsletters_audience check (
    jsonb_typeof(audience) = 'object' and audience ->> 'scope' in ('all', 'followers', 'participants')
    and jsonb_typeof(coalesce(audience -> 'spaces', '[]')) = 'array' and jsonb_typeof(coalesce(audience -> 'taxonomies', '[]')) = 'array'),
  constraint newsletters_status check (status in ('draft', 'scheduled', 'sending', 'sent')),
  constraint newsletters_scheduled check (status = 'draft' or scheduled_at is not null)
);
create index newsletters_due_idx on public.newsletters (scheduled_at) where status = 'scheduled';
create trigger newsletters_touch before update on public.newsletters
  for each row execute function private.touch_updated_at();
alter table public.newsletters enable row level security;

-- One row per recipient of a letter being sent: the outbox the workers drain.
create table public.newsletter_deliveries (
  newsletter_id uuid not null references public.newsletters (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  status text not null default 'pending',
  attempts integer not null default 0,
  error text,
  sent_at timestamptz,
  primary key (newsletter_id, user_id),
  constraint newsletter_deliveries_status check (status in ('pending', 'sent', 'failed'))
);
create index newsletter_deliveries_pending_idx on public.newsletter_deliveries (newsletter_id, user_id) where status = 'pending';
alter table public.newsletter_deliveries enable row level security;

-- Who left the newsletter from a letter's link (its "unsubscribed after it" statistic).
create table public.newsletter_unsubscribes (
  newsletter_id uuid not null references public.newsletters (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (newsletter_id, user_id)
);
alter table public.newsletter_unsubscribes enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Who composes, who sees: the organization's admins; a letter once out of its draft is theirs to
-- read only (the workers move it on)
-- ---------------------------------------------------------------------------------------------

create or replace function private.newsletters_before_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not private.is_api_role() then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    if old.status <> 'draft' and not (old.status = 'scheduled' and new.status = 'draft' and old.scheduled_at > now()) then
      raise exception 'a letter being sent or sent is not changed' using errcode = '23514', constraint = 'newsletters_read_only';
    end if;
    if (new.id, new.created_by, new.created_at, new.sending_started_at, new.sent_at, new.recipients_count, new.delivered_count, new.failed_count)
       is distinct from (old.id, old.created_by, old.created_at, old.sending_started_at, old.sent_at, old.recipients_count, old.delivered_count, old.failed_count) then
      raise exception 'these columns are not editable' using errcode = '42501';
    end if;
  else
    new.created_by := (select auth.uid());
    new.created_at := now();
    new.sending_started_at := null; new.sent_at := null; new.recipients_count := null;
    new.delivered_count := 0; new.failed_count := 0;
  end if;
  -- The admins schedule (now or later) or keep a draft; sending and sent are the workers'.
  if new.status not in ('draft', 'scheduled') then
    raise exception 'the workers send letters' using errcode = '42501';
  end if;
  if new.status = 'scheduled' then
    new.scheduled_at := greatest(coalesce(new.scheduled_at, now()), now());
  else
    new.scheduled_at := null;
  end if;
  return new;
end $$;
create trigger newsletters_before_write before insert or update on public.newsletters
  for each row execute function private.newsletters_before_write();

create policy "organization admins read letters" on public.newsletters for select to authenticated
  using ((select private.is_org_admin()));
create policy "organization admins compose letters" on public.newsletters for insert to authenticated
  with check ((select private.is_org_admin()));
create policy "organization admins edit letters" on public.newsletters for update to authenticated
  using ((select private.is_org_admin())) with check ((select private.is_org_admin()));
create policy "organization admins delete drafts" on public.newsletters for delete to authenticated
  using ((select private.is_org_admin()) and status = 'draft');
revoke all on public.newsletters from anon;
revoke insert, update on public.newsletters from authenticated;
grant insert (subject, blocks, audience, status, scheduled_at) on public.newsletters to authenticated;
grant update (subject, blocks, audience, status, scheduled_at) on public.newsletters to authenticated;

create policy "organization admins read deliveries" on public.newsletter_deliveries for select to authenticated
  using ((select private.is_org_admin()));
revoke all on public.newsletter_deliveries from anon;
revoke insert, update, delete on public.newsletter_deliveries from authenticated;

create policy "organization admins read who left" on public.newsletter_unsubscribes for select to authenticated
  using ((select private.is_org_admin()));
revoke all on public.newsletter_unsubscribes from anon;
revoke insert, update, delete on public.newsletter_unsubscribes from authenticated;

create trigger newsletters_log after insert or delete or update of subject, blocks, audience, status, scheduled_at on public.newsletters
  for each row execute function private.log_admin_change();

-- ---------------------------------------------------------------------------------------------
-- The audience, set-based: consenting people, not blocked, with an address
-- ---------------------------------------------------------------------------------------------

-- The spaces an audience names: those chosen, and those tagged with a chosen taxonomy (or one
-- of its children).
create or replace function private.newsletter_audience_spaces(audience jsonb) returns uuid[]
language sql stable security definer set search_path = '' as $$
  with recursive chosen_taxonomies(id) as (
    select (t.value #>> '{}')::uuid from jsonb_array_elements(coalesce(audience -> 'taxonomies', '[]')) t
    union
    select x.id from public.taxonomies x join chosen_taxonomies c on x.parent_id = c.id
  )
  select coalesce(array_agg(distinct s), '{}') from (
    select (v.value #>> '{}')::uuid as s from jsonb_array_elements(coalesce(audience -> 'spaces', '[]')) v
    union
    select st.space_id from public.space_taxonomies st join chosen_taxonomies c on c.id = st.taxonomy_id
  ) x
$$;

-- Everyone a letter with this audience reaches, in one statement: consent first, then the
-- scope. Participants of a space: its private members, and whoever wrote (a resource's version,
-- a comment), liked or reported something in it.
create or replace function private.newsletter_audience(audience jsonb) returns table (user_id uuid)
language sql stable security definer set search_path = '' as $$
  with scope as (select audience ->> 'scope' as kind, private.newsletter_audience_spaces(audience) as spaces),
  scoped as (
    select f.user_id from public.space_follows f, scope where scope.kind = 'followers' and f.space_id = any (scope.spaces)
    union
    select m.user_id from public.space_members m, scope where scope.kind = 'participants' and m.space_id = any (scope.spaces)
    union
    select v.editor_id from public.versions v, scope where scope.kind = 'participants' and v.space_id = any (scope.spaces) and v.editor_id is not null
    union
    select c.author_id from public.comments c, scope where scope.kind = 'participants' and c.space_id = any (scope.spaces) and c.author_id is not null
    union
    select l.user_id from public.likes l join public.components k on k.id = l.component_id, scope
    where scope.kind = 'participants' and k.space_id = any (scope.spaces)
    union
    select r.user_id from public.reports r, scope where scope.kind = 'participants' and r.space_id = any (scope.spaces)
  )
  select p.id from public.profile_preferences p
  join auth.users u on u.id = p.id
  where p.newsletter_opt_in_at is not null
    and u.email is not null and u.email <> '' and u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())
    and ((select kind from scope) = 'all' or p.id in (select s.user_id from scoped s))
$$;
revoke all on function private.newsletter_audience_spaces(jsonb), private.newsletter_audience(jsonb) from public, anon, authenticated;

-- How many people an audience reaches now: for the organization's admins only.
create or replace function public.newsletter_audience_count(audience jsonb) returns integer
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_org_admin() then
    raise exception 'organization admins only' using errcode = '42501';
  end if;
  return (select count(*) from private.newsletter_audience(audience));
end $$;
revoke all on function public.newsletter_audience_count(jsonb) from public, anon;
grant execute on function public.newsletter_audience_count(jsonb) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Sending (the workers): due letters become 'sending' with their recipients, once
-- ---------------------------------------------------------------------------------------------

-- Every scheduled letter whose time has come: its deliveries written for its audience as it is
-- now, in one statement each, and its status moved on. Returns the letters started.
create or replace function private.start_due_newsletters() returns setof uuid
language plpgsql security definer set search_path = '' as $$
declare
  n record;
  total integer;
begin
  for n in
    select l.id, l.audience from public.newsletters l
    where l.status = 'scheduled' and l.scheduled_at <= now()
    order by l.scheduled_at
    for update skip locked
  loop
    insert into public.newsletter_deliveries (newsletter_id, user_id)
    select n.id, a.user_id from private.newsletter_audience(n.audience) a
    on conflict do nothing;
    get diagnostics total = row_count;
    update public.newsletters set status = 'sending', sending_started_at = now(), recipients_count = total where id = n.id;
    return next n.id;
  end loop;
end $$;

-- Letters being sent (the workers' sweep after a restart).
create or replace function private.sending_newsletters() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select l.id from public.newsletters l where l.status = 'sending' order by l.sending_started_at
$$;

-- Up to `max` pending deliveries of a letter, locked until the caller's transaction ends, with
-- each recipient's address (which only the definer reads), language and name.
create or replace function private.claim_newsletter_deliveries(letter uuid, max integer)
returns table (user_id uuid, email text, locale text, name text)
language sql security definer set search_path = '' as $$
  select d.user_id, u.email::text, p.locale, p.name
  from public.newsletter_deliveries d
  join public.profiles p on p.id = d.user_id
  left join auth.users u on u.id = d.user_id and u.deleted_at is null
  where d.newsletter_id = letter and d.status = 'pending'
  order by d.user_id
  limit max
  for update of d skip locked
$$;

-- Records a batch: sent, refused (failed after three attempts), and moves the letter's counters
-- (one row lock per batch: parallel senders add up exactly).
create or replace function private.record_newsletter_batch(letter uuid, sent uuid[], refused uuid[], errors text[]) returns void
language plpgsql security definer set search_path = '' as $$
declare
  failed integer;
begin
  update public.newsletter_deliveries set status = 'sent', sent_at = now(), attempts = attempts + 1
  where newsletter_id = letter and user_id = any (sent) and status = 'pending';
  with r as (select * from unnest(refused, errors) as x(user_id, error))
  update public.newsletter_deliveries d
  set attempts = d.attempts + 1, error = left(r.error, 500), status = case when d.attempts + 1 >= 3 then 'failed' else 'pending' end
  from r where d.newsletter_id = letter and d.user_id = r.user_id and d.status = 'pending';
  select count(*) into failed from public.newsletter_deliveries d
  where d.newsletter_id = letter and d.user_id = any (refused) and d.status = 'failed';
  update public.newsletters
  set delivered_count = delivered_count + coalesce(cardinality(sent), 0), failed_count = failed_count + failed
  where id = letter;
end $$;

-- A delivery the server refused once it had the whole message (the batch had said sent).
create or replace function private.record_newsletter_refusal(letter uuid, person uuid, error text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  update public.newsletter_deliveries set status = 'failed', error = left(record_newsletter_refusal.error, 500)
  where newsletter_id = letter and user_id = person and status = 'sent';
  if found then
    update public.newsletters set delivered_count = delivered_count - 1, failed_count = failed_count + 1 where id = letter;
  end if;
end $$;

-- Sent, once nothing is pending any more.
create or replace function private.finish_newsletter(letter uuid) returns boolean
language sql security definer set search_path = '' as $$
  update public.newsletters set status = 'sent', sent_at = now()
  where id = letter and status = 'sending'
    and not exists (select 1 from public.newsletter_deliveries d where d.newsletter_id = letter and d.status = 'pending')
  returning true
$$;

revoke all on function private.start_due_newsletters(), private.sending_newsletters(), private.claim_newsletter_deliveries(uuid, integer),
  private.record_newsletter_batch(uuid, uuid[], uuid[], text[]), private.record_newsletter_refusal(uuid, uuid, text), private.finish_newsletter(uuid)
  from public, anon, authenticated;
grant execute on function private.start_due_newsletters(), private.sending_newsletters(), private.claim_newsletter_deliveries(uuid, integer),
  private.record_newsletter_batch(uuid, uuid[], uuid[], text[]), private.record_newsletter_refusal(uuid, uuid, text), private.finish_newsletter(uuid)
  to service_role;

-- ---------------------------------------------------------------------------------------------
-- Live: the progress of a letter on its private channel, for the organization's admins
-- ---------------------------------------------------------------------------------------------

create or replace function private.newsletters_topic(letter uuid) returns text
language sql immutable set search_path = '' as $$
  select 'newsletters:' || letter::text
$$;

create or replace function private.newsletters_broadcast() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (new.status, new.delivered_count, new.failed_count, new.recipients_count) is distinct from
     (old.status, old.delivered_count, old.failed_count, old.recipients_count) then
    perform realtime.send(
      jsonb_build_object('status', new.status, 'total', new.recipients_count, 'delivered', new.delivered_count, 'failed', new.failed_count,
                         'started_at', new.sending_started_at, 'at', now()),
      'progress', private.newsletters_topic(new.id), true);
  end if;
  return null;
end $$;
create trigger newsletters_broadcast after update on public.newsletters
  for each row execute function private.newsletters_broadcast();

create policy "organization admins follow a letter's progress" on realtime.messages for select to authenticated
  using ((select realtime.topic()) like 'newsletters:%' and (select private.is_org_admin()));

grant execute on function private.newsletters_topic(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Leaving from a letter's link (the site checks the signed token)
-- ---------------------------------------------------------------------------------------------

create or replace function private.newsletter_unsubscribe(person uuid, letter uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  update public.profile_preferences set newsletter_opt_in_at = null, newsletter_answered_at = coalesce(newsletter_answered_at, now())
  where id = person;
  if letter is not null and exists (select 1 from public.newsletters l where l.id = letter) then
    insert into public.newsletter_unsubscribes (newsletter_id, user_id) values (letter, person) on conflict do nothing;
  end if;
end $$;
revoke all on function private.newsletter_unsubscribe(uuid, uuid) from public, anon, authenticated;
grant execute on function private.newsletter_unsubscribe(uuid, uuid) to service_role;

-- ---------------------------------------------------------------------------------------------
-- What a letter's blocks show: spaces and resources as a signed-out visitor sees them (a letter
-- goes to many people; nothing private or hidden goes in it)
-- ---------------------------------------------------------------------------------------------

create or replace function private.newsletter_spaces(ids uuid[])
returns table (id uuid, kind text, slug text, title jsonb, short_description jsonb)
language sql stable security definer set search_path = '' as $$
  select s.id, s.kind, s.slug, s.title, s.short_description from public.spaces s
  where s.id = any (ids) and s.published_at is not null and not s.private
$$;

-- Registered resources (any feature's) with their title (`title_of`, else their component's
-- name) and where they live, among those a visitor may see.
create or replace function private.newsletter_resources(items jsonb)
returns table (resource_type text, resource_id uuid, title jsonb, component_id uuid, space_kind text, space_slug text)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  item record;
  fn regproc;
  comp uuid;
  claims text := current_setting('request.jwt.claims', true);
  sub text := current_setting('request.jwt.claim.sub', true);
begin
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
  perform set_config('request.jwt.claim.sub', '', true);
  for item in select x ->> 'type' as t, (x ->> 'id')::uuid as i from jsonb_array_elements(coalesce(items, '[]')) x loop
    if not private.resource_viewable(item.t, item.i) then
      continue;
    end if;
    select r.title_of::oid::regproc into fn from public.resource_types r where r.resource_type = item.t;
    execute format('select %s($1)', (select r.component_of::oid::regproc from public.resource_types r where r.resource_type = item.t))
      into comp using item.i;
    if comp is null then
      continue;
    end if;
    resource_type := item.t;
    resource_id := item.i;
    title := null;
    if fn is not null then
      execute format('select to_jsonb(%s($1))', fn) into title using item.i;
    end if;
    select coalesce(title, c.name), c.id, s.kind, s.slug into title, component_id, space_kind, space_slug
    from public.components c join public.spaces s on s.id = c.space_id where c.id = comp;
    return next;
  end loop;
  perform set_config('request.jwt.claims', coalesce(claims, ''), true);
  perform set_config('request.jwt.claim.sub', coalesce(sub, ''), true);
end $$;
revoke all on function private.newsletter_spaces(uuid[]), private.newsletter_resources(jsonb) from public, anon, authenticated;
grant execute on function private.newsletter_spaces(uuid[]), private.newsletter_resources(jsonb) to service_role, authenticated;

-- An admin's "send" wakes the workers at once (when the transaction commits), not at the next minute.
create or replace function private.newsletters_notify_scheduled() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status = 'scheduled' and (tg_op = 'INSERT' or old.status is distinct from 'scheduled') and new.scheduled_at <= now() then
    perform pg_notify('decidons_newsletters', new.id::text);
  end if;
  return null;
end $$;
create trigger newsletters_notify_scheduled after insert or update of status on public.newsletters
  for each row execute function private.newsletters_notify_scheduled();
