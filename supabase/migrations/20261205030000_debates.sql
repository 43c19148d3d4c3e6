-- The `debates` feature (Decidim's decidim-debates): a question opened to deliberation, by the
-- organization (official: open-ended, or timed with a start and an end) or by participants where
-- the active phase lets them; people argue for, against or neutrally in the comments (an argument
-- is a top-level comment on the `debate` resource with its alignment), take one position each,
-- like, follow and report; the author (participant debates) or the organization (any) closes it
-- with conclusions, the organization reopens it. Every rule lives here: who writes what and when,
-- the edit window, the timed window and the closed state refusing arguments, counts per side,
-- positions, versions, moderation, live broadcasts and presence on the debate's channel.

-- ---------------------------------------------------------------------------------------------
-- Registration: the feature and the actions its settings gate (the manifest declares the same)
-- ---------------------------------------------------------------------------------------------

insert into public.component_features (feature) values ('debates') on conflict do nothing;
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting) values
  ('debates', 'create', null, 'creation_enabled', null),
  ('debates', 'comment', 'comments_enabled', null, 'comments_blocked'),
  ('debates', 'like', null, 'likes_enabled', 'likes_blocked')
on conflict (feature, action) do update
  set global_enabled_setting = excluded.global_enabled_setting,
      phase_enabled_setting = excluded.phase_enabled_setting,
      phase_blocked_setting = excluded.phase_blocked_setting;

-- Arguments carry an alignment, which the comments feature accepts only where the component says
-- `alignment_enabled`: in a debates component it is the point, so it is always on (the admin form,
-- generated from the manifest, never offers to switch it off, and a save keeps it).
create or replace function private.debates_component_settings() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.settings := new.settings || '{"alignment_enabled": true}'::jsonb;
  return new;
end $$;
create trigger components_debates_settings before insert or update of settings on public.components
  for each row when (new.feature = 'debates') execute function private.debates_component_settings();

-- The text of an HTML field (tags out, entities as one character), for length rules.
create or replace function private.debate_text_length(html text) returns integer
language sql immutable set search_path = '' as $$
  select char_length(btrim(regexp_replace(regexp_replace(html, '<[^>]*>', '', 'g'), '&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);', '.', 'g')))
$$;

-- A whole-number setting of a debates component, or `fallback` (a malformed setting must not
-- break the writes that read it).
create or replace function private.debates_int_setting(settings jsonb, name text, fallback integer) returns integer
language sql immutable set search_path = '' as $$
  select case when jsonb_typeof(settings -> name) = 'number' and (settings ->> name)::numeric between 0 and 1000000000
         then (settings ->> name)::numeric::integer else fallback end
$$;

-- ---------------------------------------------------------------------------------------------
-- Debates
-- ---------------------------------------------------------------------------------------------

create table public.debates (
  id uuid primary key default gen_random_uuid(),
  component_id uuid not null references public.components (id) on delete cascade,
  -- Copied from the component by the insert trigger: policies read it without a join.
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- The participant who opened it; null for official debates (the organization's) and once the
  -- account is deleted.
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  official boolean not null default false,
  title text not null,
  -- HTML rendered from the participants' Markdown subset and sanitised by the server (as
  -- proposal bodies); shown through the sanitiser again.
  description text not null default '',
  -- The organization's texts, translated HTML sanitised against the allow-list.
  instructions jsonb not null default '{}',
  information_updates jsonb not null default '{}',
  taxonomy_id uuid references public.taxonomies (id) on delete set null,
  -- Timed debates (Decidim's "AMA"): arguments only between the two; both null: open-ended.
  starts_at timestamptz,
  ends_at timestamptz,
  -- Closing: when, by whom, and the conclusions everybody reads (HTML, as the description).
  closed_at timestamptz,
  closed_by uuid references public.profiles (id) on delete set null,
  conclusions text not null default '',
  withdrawn_at timestamptz,
  hidden_at timestamptz,
  reports_count integer not null default 0,
  likes_count integer not null default 0,
  follows_count integer not null default 0,
  -- Every visible comment, replies included (kept by the comments feature through the registry).
  comments_count integer not null default 0,
  -- Visible arguments (top-level comments, neither deleted nor hidden) per alignment.
  arguments_for integer not null default 0,
  arguments_against integer not null default 0,
  arguments_neutral integer not null default 0,
  -- People's positions (one each) per side.
  positions_for integer not null default 0,
  positions_against integer not null default 0,
  positions_neutral integer not null default 0,
  last_argument_at timestamptz,
  -- Creation or the latest comment: the "recent activity" order.
  last_activity_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  edited_at timestamptz,
  constraint debates_title_length check (char_length(btrim(title)) between 5 and 150),
  constraint debates_description_size check (char_length(description) <= 60000),
  constraint debates_conclusions_size check (char_length(conclusions) <= 60000),
  constraint debates_texts_translated check (private.is_translated(instructions) and private.is_translated(information_updates)
    and pg_column_size(instructions) < 65536 and pg_column_size(information_updates) < 65536),
  -- Open-ended (no dates) or timed (both, the end after the start); timed debates are official.
  constraint debates_window check (
    (starts_at is null and ends_at is null) or (starts_at is not null and ends_at is not null and ends_at > starts_at)),
  constraint debates_timed_official check (starts_at is null or official),
  constraint debates_closing check ((closed_at is null and conclusions = '') or closed_at is not null),
  constraint debates_counts check (reports_count >= 0 and likes_count >= 0 and follows_count >= 0 and comments_count >= 0
    and arguments_for >= 0 and arguments_against >= 0 and arguments_neutral >= 0
    and positions_for >= 0 and positions_against >= 0 and positions_neutral >= 0)
);
alter table public.debates enable row level security;
-- The list's orders (keyset pagination: the sort key, then the id).
create index debates_component_recent_idx on public.debates (component_id, created_at desc, id desc);
create index debates_component_activity_idx on public.debates (component_id, last_activity_at desc, id desc);
create index debates_component_comments_idx on public.debates (component_id, comments_count desc, id desc);
create index debates_component_likes_idx on public.debates (component_id, likes_count desc, id desc);
create index debates_author_idx on public.debates (author_id) where author_id is not null;
create index debates_taxonomy_idx on public.debates (taxonomy_id) where taxonomy_id is not null;
create index debates_space_moderation_idx on public.debates (space_id, reports_count) where reports_count > 0 or hidden_at is not null;
create index debates_hidden_idx on public.debates (id) where hidden_at is not null;

-- One position per person and debate (for, against, neutral), changed as often as they like:
-- the primary key makes it single, an update changes it.
create table public.debate_positions (
  debate_id uuid not null references public.debates (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  alignment smallint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (debate_id, user_id),
  constraint debate_positions_alignment check (alignment in (-1, 0, 1))
);
alter table public.debate_positions enable row level security;
create index debate_positions_user_idx on public.debate_positions (user_id);

-- Every closing and reopening, with who and when (the debate row keeps the latest closing).
create table public.debate_closures (
  id bigint generated always as identity primary key,
  debate_id uuid not null references public.debates (id) on delete cascade,
  closed boolean not null,
  actor_id uuid references public.profiles (id) on delete set null,
  conclusions text not null default '',
  created_at timestamptz not null default now()
);
alter table public.debate_closures enable row level security;
create index debate_closures_debate_idx on public.debate_closures (debate_id, created_at);

-- Whether a person's name may show among those writing an argument on a debate's page (presence
-- is otherwise anonymous): the person's own choice, read by the site when it signs their presence.
create table public.debate_presence_preferences (
  user_id uuid primary key references public.profiles (id) on delete cascade default auth.uid(),
  show_name boolean not null default true,
  updated_at timestamptz not null default now()
);
alter table public.debate_presence_preferences enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Who sees what
-- ---------------------------------------------------------------------------------------------

-- May the current user see this debate? Row values in: the policy must not read the table it guards.
create or replace function private.can_view_debate_row(component uuid, space uuid, hidden_at timestamptz) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.can_view_component(component) and (hidden_at is null or private.has_space_role(space, 'moderator'))
$$;

create or replace function private.can_view_debate(debate uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.debates d where d.id = debate and private.can_view_debate_row(d.component_id, d.space_id, d.hidden_at))
$$;

-- The `debate` resource type (comments, likes, follows, reports): its component, for whoever may
-- see it. Closed, timed or withdrawn debates stay followable and reportable; whether arguments are
-- accepted is `debate_argument_refusal`'s (below), asked by the debates' own trigger on comments.
create or replace function private.debate_resource_component(debate uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select d.component_id from public.debates d
  where d.id = debate and private.can_view_debate_row(d.component_id, d.space_id, d.hidden_at)
$$;
revoke all on function private.debate_resource_component(uuid) from public, anon, authenticated;

-- May the current user perform the component's `action` on this debate (seen, and the phase allows it)?
create or replace function private.debate_allows(debate uuid, action text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(private.component_allows(private.debate_resource_component(debate), action), false)
$$;

-- Open to likes: seen, neither withdrawn nor hidden (a closed debate may still be liked).
create or replace function private.debate_is_open(debate uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.debates d where d.id = debate and d.withdrawn_at is null and d.hidden_at is null
    and private.can_view_component(d.component_id))
$$;

-- The hidden debates the caller may not see (their threads with them), once per query.
create or replace function private.unviewable_debate_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(d.id), '{}') from public.debates d
  where d.hidden_at is not null and not private.has_space_role(d.space_id, 'moderator')
$$;

-- Why a debate takes no argument now (a constraint name the site turns into a message), or null
-- when it does: withdrawn, closed, hidden, not yet started or ended (timed debates, in the
-- database's clock). For debates the caller cannot see, "not found".
create or replace function private.debate_argument_refusal(debate uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case
    when d.id is null or not private.can_view_debate_row(d.component_id, d.space_id, d.hidden_at) then 'debates_not_found'
    when d.withdrawn_at is not null then 'debates_withdrawn'
    when d.closed_at is not null then 'debates_closed'
    when d.hidden_at is not null then 'debates_hidden'
    when d.starts_at is not null and now() < d.starts_at then 'debates_not_started'
    when d.ends_at is not null and now() >= d.ends_at then 'debates_ended'
  end
  from (select debate as id_wanted) w left join public.debates d on d.id = w.id_wanted
$$;

-- ---------------------------------------------------------------------------------------------
-- Rules on write
-- ---------------------------------------------------------------------------------------------

create or replace function private.debate_component(component uuid) returns table (space_id uuid, feature text, settings jsonb)
language sql stable security definer set search_path = '' as $$
  select c.space_id, c.feature, c.settings from public.components c where c.id = component
$$;

-- Runs as the writer (not security definer) so that `current_user` tells a person's write from
-- the counters the security definer triggers maintain.
create or replace function private.debates_before_insert() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
begin
  select * into comp from private.debate_component(new.component_id);
  if comp.feature is distinct from 'debates' then
    raise exception 'a debate belongs to a debates component' using errcode = '23514', constraint = 'debates_component_feature';
  end if;
  new.space_id := comp.space_id;
  if current_user in ('anon', 'authenticated') then
    -- Counters, closing and moderation are never chosen by the writer.
    new.reports_count := 0; new.likes_count := 0; new.follows_count := 0; new.comments_count := 0;
    new.arguments_for := 0; new.arguments_against := 0; new.arguments_neutral := 0;
    new.positions_for := 0; new.positions_against := 0; new.positions_neutral := 0;
    new.closed_at := null; new.closed_by := null; new.conclusions := '';
    new.withdrawn_at := null; new.hidden_at := null; new.edited_at := null; new.last_argument_at := null;
    new.created_at := now(); new.updated_at := now(); new.last_activity_at := now();
    if new.official then
      -- Official debates are the organization's, written by the space's admins.
      if not private.has_space_role(new.space_id, 'admin') then
        raise exception 'only admins open official debates' using errcode = '42501';
      end if;
      new.author_id := null;
    else
      if not private.component_allows(new.component_id, 'create') then
        raise exception 'debates are closed to participants here' using errcode = '42501';
      end if;
      if new.instructions <> '{}'::jsonb or new.information_updates <> '{}'::jsonb then
        raise exception 'instructions and updates are the organization''s' using errcode = '42501';
      end if;
      new.author_id := (select auth.uid());
    end if;
  end if;
  if private.debate_text_length(new.description) not between 15 and 10000 then
    raise exception 'a debate says what it is about (15 to 10,000 characters)' using errcode = '23514', constraint = 'debates_description_length';
  end if;
  return new;
end $$;
create trigger debates_before_insert before insert on public.debates
  for each row execute function private.debates_before_insert();

-- What a version of a debate holds (core versions): its question and taxonomy.
create or replace function private.debate_version_data(d public.debates) returns jsonb
language sql immutable set search_path = '' as $$
  select jsonb_build_object('title', d.title, 'description', d.description, 'taxonomy_id', d.taxonomy_id)
$$;

-- The author follows what they opened; the first version is kept.
create or replace function private.debates_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.author_id is not null then
    insert into public.follows (resource_type, resource_id, user_id) values ('debate', new.id, new.author_id) on conflict do nothing;
  end if;
  insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
  values ('debate', new.id, new.component_id, new.space_id, 1, private.debate_version_data(new), coalesce(new.author_id, (select auth.uid())));
  return null;
end $$;
create trigger debates_after_insert after insert on public.debates
  for each row execute function private.debates_after_insert();

-- Who may change what, as a person (API roles):
--   the text (title, description, taxonomy): the author of a participant debate within the
--   component's edit window, while it is open; a space admin for official debates;
--   dates, instructions, information updates: space admins (dates on official debates only);
--   closing with conclusions: the author of a participant debate, or a space admin for any;
--   editing the conclusions of a closed debate: the same people; reopening: space admins;
--   withdrawing: the author of a participant debate, for good; hiding: moderators.
-- Counters come from security definer triggers (not an API role: only `updated_at` moves).
create or replace function private.debates_before_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
  me uuid := (select auth.uid());
  is_admin boolean;
  is_author boolean;
  edit_minutes integer;
begin
  if current_user not in ('anon', 'authenticated') then
    if (new.title, new.description, new.taxonomy_id) is distinct from (old.title, old.description, old.taxonomy_id) then
      new.edited_at := now();
    end if;
    new.updated_at := now();
    return new;
  end if;
  if (new.id, new.component_id, new.space_id, new.author_id, new.official, new.closed_by, new.reports_count, new.likes_count,
      new.follows_count, new.comments_count, new.arguments_for, new.arguments_against, new.arguments_neutral,
      new.positions_for, new.positions_against, new.positions_neutral, new.last_argument_at, new.last_activity_at,
      new.created_at, new.edited_at)
     is distinct from
     (old.id, old.component_id, old.space_id, old.author_id, old.official, old.closed_by, old.reports_count, old.likes_count,
      old.follows_count, old.comments_count, old.arguments_for, old.arguments_against, old.arguments_neutral,
      old.positions_for, old.positions_against, old.positions_neutral, old.last_argument_at, old.last_activity_at,
      old.created_at, old.edited_at) then
    raise exception 'these columns are not editable' using errcode = '42501';
  end if;
  is_admin := private.has_space_role(old.space_id, 'admin');
  is_author := me is not null and old.author_id = me and not old.official;
  select * into comp from private.debate_component(old.component_id);

  if (new.title, new.description, new.taxonomy_id) is distinct from (old.title, old.description, old.taxonomy_id) then
    if not (is_author or (old.official and is_admin)) then
      raise exception 'only the author edits a debate' using errcode = '42501';
    end if;
    if old.withdrawn_at is not null then
      raise exception 'a withdrawn debate stays as it was' using errcode = '23514', constraint = 'debates_withdrawn';
    end if;
    if old.closed_at is not null then
      raise exception 'a closed debate is no longer edited' using errcode = '23514', constraint = 'debates_closed';
    end if;
    if not old.official then
      edit_minutes := private.debates_int_setting(comp.settings, 'edit_time_minutes', 60);
      if now() > old.created_at + make_interval(mins => edit_minutes) then
        raise exception 'debates are edited within % minutes of their creation', edit_minutes
          using errcode = '23514', constraint = 'debates_edit_window';
      end if;
    end if;
    if private.debate_text_length(new.description) not between 15 and 10000 then
      raise exception 'a debate says what it is about (15 to 10,000 characters)' using errcode = '23514', constraint = 'debates_description_length';
    end if;
    new.edited_at := now();
  end if;

  if (new.starts_at, new.ends_at, new.instructions, new.information_updates)
     is distinct from (old.starts_at, old.ends_at, old.instructions, old.information_updates) then
    if not is_admin then
      raise exception 'dates, instructions and updates are the organization''s' using errcode = '42501';
    end if;
  end if;

  if new.closed_at is distinct from old.closed_at or new.conclusions is distinct from old.conclusions then
    if new.closed_at is null then
      -- Reopening: the organization's; the conclusions stay in the closures' history.
      if not is_admin then
        raise exception 'only the organization reopens a debate' using errcode = '42501';
      end if;
      new.conclusions := '';
      new.closed_by := null;
    else
      if not (is_author or is_admin) then
        raise exception 'the author or the organization closes a debate' using errcode = '42501';
      end if;
      if old.withdrawn_at is not null then
        raise exception 'a withdrawn debate is not closed' using errcode = '23514', constraint = 'debates_withdrawn';
      end if;
      if private.debate_text_length(new.conclusions) not between 10 and 10000 then
        raise exception 'conclusions of 10 to 10,000 characters' using errcode = '23514', constraint = 'debates_conclusions_length';
      end if;
      if old.closed_at is null then
        new.closed_at := now();
      else
        -- Editing the conclusions keeps the moment it was closed.
        new.closed_at := old.closed_at;
      end if;
      new.closed_by := me;
    end if;
  end if;

  if new.withdrawn_at is distinct from old.withdrawn_at then
    if not is_author then
      raise exception 'only the author withdraws a debate' using errcode = '42501';
    end if;
    if old.withdrawn_at is not null then
      raise exception 'a withdrawn debate stays withdrawn' using errcode = '23514', constraint = 'debates_withdrawn';
    end if;
    if old.closed_at is not null then
      raise exception 'a closed debate is not withdrawn' using errcode = '23514', constraint = 'debates_closed';
    end if;
    new.withdrawn_at := now();
  end if;

  if new.hidden_at is distinct from old.hidden_at then
    if not private.has_space_role(old.space_id, 'moderator') then
      raise exception 'only moderators hide debates' using errcode = '42501';
    end if;
    new.hidden_at := case when new.hidden_at is null then null else now() end;
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger debates_before_update before update on public.debates
  for each row execute function private.debates_before_update();

-- Every change of the text is a new version (the debate's history page shows them).
create or replace function private.debates_keep_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (new.title, new.description, new.taxonomy_id) is distinct from (old.title, old.description, old.taxonomy_id) then
    insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
    values ('debate', new.id, new.component_id, new.space_id,
            coalesce((select max(v.version) from public.versions v where v.resource_type = 'debate' and v.resource_id = new.id), 0) + 1,
            private.debate_version_data(new), (select auth.uid()));
  end if;
  return null;
end $$;
create trigger debates_keep_version after update of title, description, taxonomy_id on public.debates
  for each row execute function private.debates_keep_version();

-- Closing and reopening are recorded with who and when.
create or replace function private.debates_record_closure() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.closed_at is distinct from old.closed_at or new.conclusions is distinct from old.conclusions then
    insert into public.debate_closures (debate_id, closed, actor_id, conclusions)
    values (new.id, new.closed_at is not null, (select auth.uid()), new.conclusions);
  end if;
  return null;
end $$;
create trigger debates_record_closure after update of closed_at, conclusions on public.debates
  for each row execute function private.debates_record_closure();

-- A debate that took part is kept (withdrawn, closed, hidden); the space's admins delete debates.
create or replace function private.debates_before_delete() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('anon', 'authenticated') and not private.has_space_role(old.space_id, 'admin') then
    raise exception 'a debate is withdrawn or closed, not deleted' using errcode = '42501';
  end if;
  return old;
end $$;
create trigger debates_before_delete before delete on public.debates
  for each row execute function private.debates_before_delete();

-- The third report hides the debate pending review (the core counts and decides).
create or replace function private.debate_reported(debate uuid, reports integer, hide boolean) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  hid boolean;
begin
  update public.debates
  set reports_count = reports,
      hidden_at = case when hide and hidden_at is null then now() else hidden_at end
  where id = debate
  returning hidden_at is not null into hid;
  return coalesce(hid, false);
end $$;
revoke all on function private.debate_reported(uuid, integer, boolean) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Arguments: the comments on a debate. The comments feature keeps its own rules (who comments,
-- length, depth, alignment where enabled, votes, reports); what only a debate knows — whether it
-- takes arguments now, the counts per side, the author's position — is kept here by triggers of
-- this feature on the comments of the `debate` type (they run for no other type). The registry
-- has no per-resource "accepts comments now" hook to ask instead.
-- ---------------------------------------------------------------------------------------------

-- A new argument or reply, or a changed text or alignment, needs the debate open now: neither
-- closed nor withdrawn nor hidden, and within its window when timed. Deleting one's own is always
-- possible. (Named after the comments' triggers, so they run first: the comment is complete.)
create or replace function private.debate_arguments_before_write() returns trigger
language plpgsql set search_path = '' as $$
declare
  refusal text;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'UPDATE' and (new.deleted_at is not null
      or (new.body is not distinct from old.body and new.alignment is not distinct from old.alignment)) then
    return new;
  end if;
  refusal := private.debate_argument_refusal(new.resource_id);
  if refusal is not null then
    raise exception 'this debate takes no argument now (%)', refusal using errcode = '23514', constraint = refusal;
  end if;
  return new;
end $$;
create trigger debate_arguments_before_write before insert or update of body, alignment on public.comments
  for each row when (new.resource_type = 'debate') execute function private.debate_arguments_before_write();

-- Counts per side of the visible arguments, the latest argument and activity, and the author's
-- position (an argument for or against is the side its author takes; a neutral one changes
-- nothing). One row update per comment: the debate's row lock keeps concurrent counts exact.
create or replace function private.debate_arguments_after_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  was boolean := tg_op = 'UPDATE' and old.parent_id is null and old.deleted_at is null and old.hidden_at is null;
  now_counted boolean := new.parent_id is null and new.deleted_at is null and new.hidden_at is null;
  d_for integer := 0;
  d_against integer := 0;
  d_neutral integer := 0;
begin
  if was then
    if old.alignment = 1 then d_for := d_for - 1; elsif old.alignment = -1 then d_against := d_against - 1; else d_neutral := d_neutral - 1; end if;
  end if;
  if now_counted then
    if new.alignment = 1 then d_for := d_for + 1; elsif new.alignment = -1 then d_against := d_against + 1; else d_neutral := d_neutral + 1; end if;
  end if;
  if tg_op = 'INSERT' or d_for <> 0 or d_against <> 0 or d_neutral <> 0 then
    update public.debates
    set arguments_for = arguments_for + d_for,
        arguments_against = arguments_against + d_against,
        arguments_neutral = arguments_neutral + d_neutral,
        last_argument_at = case when tg_op = 'INSERT' and now_counted then greatest(coalesce(last_argument_at, new.created_at), new.created_at)
                                else last_argument_at end,
        last_activity_at = case when tg_op = 'INSERT' then greatest(last_activity_at, new.created_at) else last_activity_at end
    where id = new.resource_id;
  end if;
  if new.parent_id is null and new.deleted_at is null and new.alignment <> 0 and new.author_id is not null
     and (tg_op = 'INSERT' or new.alignment is distinct from old.alignment) then
    insert into public.debate_positions as p (debate_id, user_id, alignment) values (new.resource_id, new.author_id, new.alignment)
    on conflict (debate_id, user_id) do update set alignment = excluded.alignment, updated_at = now()
    where p.alignment is distinct from excluded.alignment;
  end if;
  return null;
end $$;
create trigger debate_arguments_after_write after insert or update of alignment, deleted_at, hidden_at on public.comments
  for each row when (new.resource_type = 'debate') execute function private.debate_arguments_after_write();

-- ---------------------------------------------------------------------------------------------
-- Positions: single per person (the key), changeable while the debate takes arguments
-- ---------------------------------------------------------------------------------------------

create or replace function private.debate_positions_before_write() returns trigger
language plpgsql set search_path = '' as $$
declare
  refusal text;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'UPDATE' and (new.debate_id, new.user_id, new.created_at) is distinct from (old.debate_id, old.user_id, old.created_at) then
    raise exception 'a position changes side, not owner' using errcode = '42501';
  end if;
  refusal := private.debate_argument_refusal(new.debate_id);
  if refusal is not null then
    raise exception 'this debate takes no position now (%)', refusal using errcode = '23514', constraint = refusal;
  end if;
  new.updated_at := now();
  if tg_op = 'INSERT' then
    new.created_at := now();
  end if;
  return new;
end $$;
create trigger debate_positions_before_write before insert or update on public.debate_positions
  for each row execute function private.debate_positions_before_write();

create or replace function private.debate_positions_count() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  d_for integer := 0;
  d_against integer := 0;
  d_neutral integer := 0;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    if old.alignment = 1 then d_for := d_for - 1; elsif old.alignment = -1 then d_against := d_against - 1; else d_neutral := d_neutral - 1; end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    if new.alignment = 1 then d_for := d_for + 1; elsif new.alignment = -1 then d_against := d_against + 1; else d_neutral := d_neutral + 1; end if;
  end if;
  if d_for <> 0 or d_against <> 0 or d_neutral <> 0 then
    update public.debates
    set positions_for = positions_for + d_for, positions_against = positions_against + d_against,
        positions_neutral = positions_neutral + d_neutral
    where id = coalesce(new.debate_id, old.debate_id);
  end if;
  return null;
end $$;
create trigger debate_positions_count after insert or update or delete on public.debate_positions
  for each row execute function private.debate_positions_count();

create trigger debate_presence_preferences_touch before update on public.debate_presence_preferences
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Live: counts and states on two private channels (never text; hidden debates announced once)
-- `debates:<component>` for the list, `debate:<debate>` for the debate's page, where presence
-- (who follows it now, who is writing) also lives.
-- ---------------------------------------------------------------------------------------------

create or replace function private.debates_list_topic(component uuid) returns text
language sql immutable set search_path = '' as $$
  select 'debates:' || component::text
$$;
create or replace function private.debate_topic(debate uuid) returns text
language sql immutable set search_path = '' as $$
  select 'debate:' || debate::text
$$;

create or replace function private.debates_broadcast() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  changes text[] := '{}';
  payload jsonb;
begin
  if tg_op = 'INSERT' then
    changes := array['created'];
  else
    if (new.arguments_for, new.arguments_against, new.arguments_neutral) is distinct from (old.arguments_for, old.arguments_against, old.arguments_neutral)
       or new.last_argument_at is distinct from old.last_argument_at then
      changes := array_append(changes, 'arguments');
    end if;
    if (new.positions_for, new.positions_against, new.positions_neutral) is distinct from (old.positions_for, old.positions_against, old.positions_neutral) then
      changes := array_append(changes, 'positions');
    end if;
    if new.comments_count is distinct from old.comments_count or new.last_activity_at is distinct from old.last_activity_at then
      changes := array_append(changes, 'comments');
    end if;
    if new.likes_count is distinct from old.likes_count then changes := array_append(changes, 'likes'); end if;
    if new.follows_count is distinct from old.follows_count then changes := array_append(changes, 'follows'); end if;
    if new.closed_at is distinct from old.closed_at or new.conclusions is distinct from old.conclusions then
      changes := array_append(changes, case when new.closed_at is null then 'reopened' else 'closed' end);
    end if;
    if new.withdrawn_at is distinct from old.withdrawn_at then changes := array_append(changes, 'withdrawn'); end if;
    if new.hidden_at is distinct from old.hidden_at then
      changes := array_append(changes, case when new.hidden_at is null then 'unhidden' else 'hidden' end);
    end if;
    if (new.title, new.description, new.taxonomy_id, new.starts_at, new.ends_at, new.instructions, new.information_updates)
       is distinct from (old.title, old.description, old.taxonomy_id, old.starts_at, old.ends_at, old.instructions, old.information_updates) then
      changes := array_append(changes, 'edited');
    end if;
  end if;
  if cardinality(changes) = 0 then
    return null;
  end if;
  -- A hidden debate is announced once (hidden); what happens to it next is for its moderators.
  if tg_op = 'UPDATE' and new.hidden_at is not null and old.hidden_at is not null then
    return null;
  end if;
  payload := jsonb_build_object(
    'debate_id', new.id, 'changes', to_jsonb(changes),
    'for', new.arguments_for, 'against', new.arguments_against, 'neutral', new.arguments_neutral,
    'positions', jsonb_build_object('for', new.positions_for, 'against', new.positions_against, 'neutral', new.positions_neutral),
    'comments', new.comments_count, 'likes', new.likes_count, 'follows', new.follows_count,
    'last_argument_at', new.last_argument_at, 'last_activity_at', new.last_activity_at,
    'closed', new.closed_at is not null, 'updated_at', new.updated_at);
  perform realtime.send(payload, 'debate', private.debates_list_topic(new.component_id), true);
  if tg_op = 'UPDATE' then
    perform realtime.send(payload, 'debate', private.debate_topic(new.id), true);
  end if;
  return null;
end $$;
create trigger debates_broadcast after insert or update on public.debates
  for each row execute function private.debates_broadcast();

-- Who may join: the list's channel, whoever sees the component; a debate's, whoever sees the
-- debate. On a debate's channel, whoever joins may also be present (track presence: Realtime
-- asks an insert right on `presence`), never broadcast (the counts come from the database only).
create or replace function private.can_view_debates_topic(topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(
    (select private.can_view_component(m[1]::uuid)
     from regexp_match(topic, '^debates:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') m where m is not null),
    (select private.can_view_debate(m[1]::uuid)
     from regexp_match(topic, '^debate:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') m where m is not null),
    false)
$$;

create policy "debates topics for whoever sees the component or the debate" on realtime.messages for select to anon, authenticated
  using (((select realtime.topic()) like 'debates:%' or (select realtime.topic()) like 'debate:%')
    and (select private.can_view_debates_topic(realtime.topic())));
create policy "presence on a debate's topic for whoever sees the debate" on realtime.messages for insert to anon, authenticated
  with check (extension = 'presence' and (select realtime.topic()) like 'debate:%'
    and (select private.can_view_debates_topic(realtime.topic())));

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

create policy "visible debates; hidden ones for moderators" on public.debates for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and (hidden_at is null or space_id = any ((select private.moderated_space_ids())::uuid[])));
create policy "participants open debates where creation is open; admins open official ones" on public.debates for insert to authenticated
  with check (component_id = any ((select private.visible_component_ids())::uuid[])
    and ((not official and author_id = (select auth.uid()) and (select private.component_allows(component_id, 'create')))
      or (official and (select private.has_space_role(space_id, 'admin')))));
create policy "authors, moderators and admins update debates" on public.debates for update to authenticated
  using ((select private.can_view_debate_row(component_id, space_id, hidden_at))
    and (author_id = (select auth.uid()) or (select private.has_space_role(space_id, 'moderator'))))
  with check (author_id = (select auth.uid()) or (select private.has_space_role(space_id, 'moderator')));
create policy "space admins delete debates" on public.debates for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.debates from anon;
revoke insert, update on public.debates from authenticated;
grant insert (component_id, official, title, description, taxonomy_id, starts_at, ends_at, instructions, information_updates)
  on public.debates to authenticated;
grant update (title, description, taxonomy_id, starts_at, ends_at, instructions, information_updates, closed_at, conclusions,
  withdrawn_at, hidden_at) on public.debates to authenticated;

-- A person's position is theirs: counts per side are on the debate, not who stands where.
create policy "people see their own positions" on public.debate_positions for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people take a position on debates they see, where arguments are open" on public.debate_positions for insert to authenticated
  with check (user_id = (select auth.uid()) and (select private.debate_allows(debate_id, 'comment')));
create policy "people change their position" on public.debate_positions for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (select private.debate_allows(debate_id, 'comment')));
create policy "people drop their position" on public.debate_positions for delete to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.debate_positions from anon;
revoke insert, update on public.debate_positions from authenticated;
grant insert (debate_id, alignment) on public.debate_positions to authenticated;
grant update (alignment) on public.debate_positions to authenticated;

create policy "closings of visible debates" on public.debate_closures for select to anon, authenticated
  using ((select private.can_view_debate(debate_id)));
revoke insert, update, delete on public.debate_closures from anon, authenticated;

create policy "people see their presence preference" on public.debate_presence_preferences for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people set their presence preference" on public.debate_presence_preferences for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "people change their presence preference" on public.debate_presence_preferences for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
revoke all on public.debate_presence_preferences from anon;
revoke delete on public.debate_presence_preferences from authenticated;
revoke insert, update on public.debate_presence_preferences from authenticated;
grant select on public.debate_presence_preferences to authenticated;
grant insert (show_name) on public.debate_presence_preferences to authenticated;
grant update (show_name) on public.debate_presence_preferences to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The `debate` resource type on the shared layer, moderation, forgetting, the action log
-- ---------------------------------------------------------------------------------------------

insert into public.resource_types (resource_type, feature, capabilities, component_of, unviewable, is_open, reported, can_view, counted_in)
values ('debate', 'debates', '{commentable,likeable,followable,reportable,versioned}', 'private.debate_resource_component(uuid)',
        'private.unviewable_debate_ids()', 'private.debate_is_open(uuid)', 'private.debate_reported(uuid, integer, boolean)',
        'private.can_view_debate(uuid)', 'public.debates');
create trigger debates_record_moderation after update of hidden_at on public.debates
  for each row execute function private.record_moderation('debate');
create trigger debates_forget after delete on public.debates
  for each row execute function private.forget_resource('debate');
-- The organization's own debates are admin work: logged (what the organization changes, not the
-- counters arguments and likes move).
create trigger debates_log after insert on public.debates
  for each row when (new.official) execute function private.log_admin_change();
create trigger debates_log_update after update on public.debates
  for each row when (new.official and (new.title, new.description, new.taxonomy_id, new.starts_at, new.ends_at, new.instructions,
    new.information_updates, new.closed_at, new.conclusions, new.hidden_at)
    is distinct from (old.title, old.description, old.taxonomy_id, old.starts_at, old.ends_at, old.instructions,
    old.information_updates, old.closed_at, old.conclusions, old.hidden_at))
  execute function private.log_admin_change();
create trigger debates_log_delete after delete on public.debates
  for each row when (old.official) execute function private.log_admin_change();

grant execute on function
  private.debate_text_length(text), private.debates_int_setting(jsonb, text, integer),
  private.can_view_debate_row(uuid, uuid, timestamptz), private.can_view_debate(uuid), private.debate_is_open(uuid),
  private.debate_allows(uuid, text),
  private.unviewable_debate_ids(), private.debate_argument_refusal(uuid), private.debate_component(uuid),
  private.debate_version_data(public.debates), private.debates_list_topic(uuid), private.debate_topic(uuid),
  private.can_view_debates_topic(text)
  to anon, authenticated, service_role;
