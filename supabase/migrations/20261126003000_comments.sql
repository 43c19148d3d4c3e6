-- Comments: a cross-cutting feature, threads on any commentable resource (Decidim's
-- decidim-comments). Every rule lives here: who reads, who writes, depth, length, alignment,
-- one vote and one report per person, auto-hiding at 3 reports, mentions, live broadcasts.

-- The component a commentable resource belongs to, or null when there is no such resource or
-- the caller may not see it: any resource type a feature registered (core resources layer). A
-- component lets people comment by declaring a `comment` action in its own migration.
create or replace function private.comment_resource_component(resource_type text, resource_id uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select private.resource_component(resource_type, resource_id, 'commentable')
$$;

-- ---------------------------------------------------------------------------------------------
-- Comments
-- ---------------------------------------------------------------------------------------------

create table public.comments (
  id uuid primary key default gen_random_uuid(),
  resource_type text not null,
  resource_id uuid not null,
  -- Filled in by the insert trigger from the resource; policies read them without joins.
  component_id uuid not null references public.components (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- Null once the author deletes their account: the comment stays, anonymous.
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  parent_id uuid references public.comments (id) on delete cascade,
  -- 0 for a comment on the resource, up to 3 for a reply to a reply to a reply (Decidim's MAX_DEPTH).
  depth smallint not null default 0,
  -- In favour (1), neutral (0), against (-1): only where the component enables it.
  alignment smallint not null default 0,
  body text not null,
  official boolean not null default false,
  up_votes integer not null default 0,
  down_votes integer not null default 0,
  replies_count integer not null default 0,
  reports_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  edited_at timestamptz,
  deleted_at timestamptz,
  hidden_at timestamptz,
  constraint comments_resource_type check (resource_type ~ '^[a-z][a-z_]{1,39}$'),
  constraint comments_depth check (depth between 0 and 3),
  constraint comments_alignment check (alignment in (-1, 0, 1)),
  -- The component's maximum length is checked by the trigger; this is the absolute ceiling.
  constraint comments_body_length check (
    (deleted_at is null and char_length(btrim(body)) between 1 and 10000) or (deleted_at is not null and body = '')),
  constraint comments_counts check (up_votes >= 0 and down_votes >= 0 and replies_count >= 0 and reports_count >= 0)
);
-- Thread pages: top-level comments of a resource in each sort order (keyset pagination).
create index comments_thread_idx on public.comments (resource_type, resource_id, created_at, id) where parent_id is null;
create index comments_parent_idx on public.comments (parent_id, created_at, id) where parent_id is not null;
create index comments_space_moderation_idx on public.comments (space_id, reports_count) where reports_count > 0 or hidden_at is not null;
create index comments_author_idx on public.comments (author_id);

-- Edits are kept: each previous body, with when it was replaced.

create table public.comment_votes (
  comment_id uuid not null references public.comments (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  value smallint not null,
  created_at timestamptz not null default now(),
  primary key (comment_id, user_id),
  constraint comment_votes_value check (value in (-1, 1))
);
create index comment_votes_user_idx on public.comment_votes (user_id);



-- ---------------------------------------------------------------------------------------------
-- Rules on write
-- ---------------------------------------------------------------------------------------------

-- Is the caller an API role (a person through the app), rather than a trusted trigger or job?
create or replace function private.is_api_role() returns boolean
language sql stable set search_path = '' as $$
  select current_user in ('anon', 'authenticated')
$$;

-- What the write rules need to read whoever writes (security definer: a reply may need a parent
-- the caller cannot otherwise read in full, and settings are read as stored).
create or replace function private.comment_component(component uuid) returns table (space_id uuid, settings jsonb)
language sql stable security definer set search_path = '' as $$
  select c.space_id, c.settings from public.components c where c.id = component
$$;
create or replace function private.comment_parent(comment uuid)
returns table (resource_type text, resource_id uuid, depth smallint, deleted_at timestamptz, hidden_at timestamptz)
language sql stable security definer set search_path = '' as $$
  -- Only for comments in a component the caller sees: no probing other threads by id.
  select p.resource_type, p.resource_id, p.depth, p.deleted_at, p.hidden_at from public.comments p
  where p.id = comment and private.can_view_component(p.component_id)
$$;

-- Runs as the caller (not security definer) so that `is_api_role()` tells a person's write from
-- the counters the security definer triggers maintain.
create or replace function private.comments_before_insert() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
  parent record;
  max_length integer;
begin
  new.component_id := private.comment_resource_component(new.resource_type, new.resource_id);
  if new.component_id is null then
    raise exception 'no such commentable resource' using errcode = '23503', constraint = 'comments_resource';
  end if;
  select * into comp from private.comment_component(new.component_id);
  new.space_id := comp.space_id;
  if new.parent_id is not null then
    select * into parent from private.comment_parent(new.parent_id);
    if not found or parent.resource_type <> new.resource_type or parent.resource_id <> new.resource_id then
      raise exception 'a reply belongs to the thread of its parent' using errcode = '23514', constraint = 'comments_parent';
    end if;
    if parent.depth >= 3 then
      raise exception 'replies go 3 levels deep at most' using errcode = '23514', constraint = 'comments_depth';
    end if;
    if parent.deleted_at is not null or parent.hidden_at is not null then
      raise exception 'no reply to a deleted or hidden comment' using errcode = '23514', constraint = 'comments_parent';
    end if;
    new.depth := parent.depth + 1;
  else
    new.depth := 0;
  end if;
  if new.alignment <> 0 and not coalesce(comp.settings ->> 'alignment_enabled' = 'true', false) then
    raise exception 'alignment is not enabled here' using errcode = '23514', constraint = 'comments_alignment';
  end if;
  max_length := coalesce(private.comment_max_length(comp.settings), 1000);
  if char_length(new.body) > max_length then
    raise exception 'comment longer than % characters', max_length using errcode = '23514', constraint = 'comments_max_length';
  end if;
  if private.is_api_role() then
    -- Counters, moderation and official answers are never chosen by the author.
    new.author_id := (select auth.uid());
    new.official := false;
    new.up_votes := 0; new.down_votes := 0; new.replies_count := 0; new.reports_count := 0;
    new.edited_at := null; new.deleted_at := null; new.hidden_at := null;
    new.created_at := now(); new.updated_at := now();
  end if;
  return new;
end $$;

-- The component's maximum length, when it is a sensible number (a malformed setting falls back).
create or replace function private.comment_max_length(settings jsonb) returns integer
language sql immutable set search_path = '' as $$
  select case when jsonb_typeof(settings -> 'comments_max_length') = 'number'
              and (settings ->> 'comments_max_length')::numeric between 1 and 10000
         then (settings ->> 'comments_max_length')::numeric::integer end
$$;

create trigger comments_before_insert before insert on public.comments
  for each row execute function private.comments_before_insert();

-- Who may change what: the author edits or deletes their own comment; space moderators hide and
-- unhide; space admins mark the official answer; nobody else touches anything (counters are
-- maintained by the triggers below, which run as the table owner).
create or replace function private.comments_before_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
  max_length integer;
begin
  if not private.is_api_role() then
    -- Counters moved: the island's catch-up after a reconnect looks for changes by this time.
    new.updated_at := now();
    return new;
  end if;
  if (new.id, new.resource_type, new.resource_id, new.component_id, new.space_id, new.author_id, new.parent_id, new.depth,
      new.up_votes, new.down_votes, new.replies_count, new.reports_count, new.created_at, new.edited_at)
     is distinct from
     (old.id, old.resource_type, old.resource_id, old.component_id, old.space_id, old.author_id, old.parent_id, old.depth,
      old.up_votes, old.down_votes, old.replies_count, old.reports_count, old.created_at, old.edited_at) then
    raise exception 'these columns are not editable' using errcode = '42501';
  end if;
  if new.body is distinct from old.body or new.alignment is distinct from old.alignment or new.deleted_at is distinct from old.deleted_at then
    if old.author_id is distinct from (select auth.uid()) or old.deleted_at is not null then
      raise exception 'only the author edits or deletes a comment, once deleted it stays so' using errcode = '42501';
    end if;
    if new.deleted_at is not null then
      -- Deleted: shown as "deleted", with no body left to read.
      new.deleted_at := now();
      new.body := '';
    elsif new.body is distinct from old.body or new.alignment is distinct from old.alignment then
      select * into comp from private.comment_component(old.component_id);
      if new.alignment <> 0 and not coalesce(comp.settings ->> 'alignment_enabled' = 'true', false) then
        raise exception 'alignment is not enabled here' using errcode = '23514', constraint = 'comments_alignment';
      end if;
      max_length := coalesce(private.comment_max_length(comp.settings), 1000);
      if char_length(new.body) > max_length then
        raise exception 'comment longer than % characters', max_length using errcode = '23514', constraint = 'comments_max_length';
      end if;
      if new.body is distinct from old.body then
        new.edited_at := now();
      end if;
    end if;
  end if;
  if new.hidden_at is distinct from old.hidden_at then
    if not private.has_space_role(old.space_id, 'moderator') then
      raise exception 'only moderators hide comments' using errcode = '42501';
    end if;
    new.hidden_at := case when new.hidden_at is null then null else now() end;
  end if;
  if new.official is distinct from old.official and not private.has_space_role(old.space_id, 'admin') then
    raise exception 'only admins mark official answers' using errcode = '42501';
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger comments_before_update before update on public.comments
  for each row execute function private.comments_before_update();

-- Edits are kept (the version table is written here only).
create or replace function private.comments_keep_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.body is distinct from old.body and new.deleted_at is null then
    -- The replaced text, for the author and the space's moderators only (core versions).
    insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id, readers)
    values ('comment', old.id, old.component_id, old.space_id,
            coalesce((select max(v.version) from public.versions v where v.resource_type = 'comment' and v.resource_id = old.id), 0) + 1,
            jsonb_build_object('body', old.body), (select auth.uid()), array_remove(array[old.author_id], null));
  end if;
  return null;
end $$;
create trigger comments_keep_version after update of body on public.comments
  for each row execute function private.comments_keep_version();

-- Replies counted on their parent.
create or replace function private.comments_count_replies() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' and new.parent_id is not null then
    update public.comments set replies_count = replies_count + 1 where id = new.parent_id;
  end if;
  return null;
end $$;
create trigger comments_count_replies after insert on public.comments
  for each row execute function private.comments_count_replies();

-- `@nickname` in a new comment: a notification for each person mentioned who can see the space
-- (never for the author, never twice).
create or replace function private.comments_notify_mentions() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.notifications (user_id, kind, resource_type, resource_id, data)
  select distinct p.id, 'comments.mention', new.resource_type, new.resource_id,
         jsonb_build_object('comment_id', new.id, 'component_id', new.component_id, 'space_id', new.space_id, 'author_id', new.author_id)
  from (select lower(m[1]) as nickname from regexp_matches(new.body, '(?:^|[^A-Za-z0-9_@-])@([A-Za-z0-9_-]{2,20})', 'g') m) n
  join public.profiles p on p.nickname = n.nickname
  join public.spaces s on s.id = new.space_id
  where p.id is distinct from new.author_id
    and (not s.private
      or exists (select 1 from public.space_members m where m.space_id = s.id and m.user_id = p.id)
      or exists (select 1 from public.space_roles r where r.space_id = s.id and r.user_id = p.id)
      or exists (select 1 from public.organization_admins a where a.user_id = p.id));
  return null;
end $$;
create trigger comments_notify_mentions after insert on public.comments
  for each row execute function private.comments_notify_mentions();

-- ---------------------------------------------------------------------------------------------
-- Votes and reports: counters kept exact by row locks on the comment
-- ---------------------------------------------------------------------------------------------

create or replace function private.comment_votes_count() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  up_delta integer := 0;
  down_delta integer := 0;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    if old.value = 1 then up_delta := up_delta - 1; else down_delta := down_delta - 1; end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    if new.value = 1 then up_delta := up_delta + 1; else down_delta := down_delta + 1; end if;
  end if;
  if up_delta <> 0 or down_delta <> 0 then
    update public.comments set up_votes = up_votes + up_delta, down_votes = down_votes + down_delta
    where id = coalesce(new.comment_id, old.comment_id);
  end if;
  return null;
end $$;
create trigger comment_votes_count after insert or update or delete on public.comment_votes
  for each row execute function private.comment_votes_count();

create or replace function private.comment_votes_before_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and (new.comment_id, new.user_id) is distinct from (old.comment_id, old.user_id) then
    raise exception 'a vote changes value, not owner' using errcode = '42501';
  end if;
  return new;
end $$;
create trigger comment_votes_before_write before update on public.comment_votes
  for each row execute function private.comment_votes_before_write();

-- The third report hides the comment pending review. Only the third: once a moderator has
-- unhidden it, later reports no longer hide it on their own.
-- Reports are the core's (public.reports): it counts them and says when the third one must hide
-- the comment; the comment keeps its own count for the moderation page.
create or replace function private.comment_reported(comment uuid, reports integer, hide boolean) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  hid boolean;
begin
  update public.comments
  set reports_count = reports,
      hidden_at = case when hide and hidden_at is null then now() else hidden_at end
  where id = comment
  returning hidden_at is not null into hid;
  return coalesce(hid, false);
end $$;
revoke all on function private.comment_reported(uuid, integer, boolean) from public, anon, authenticated;

-- The resource's `comments_count` (where its feature registered a counted table): the comments
-- that show, neither deleted nor hidden.
create or replace function private.comments_count_on_resource() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    if new.deleted_at is null and new.hidden_at is null then
      perform private.count_on_resource(new.resource_type, new.resource_id, 'comments_count', 1);
    end if;
  elsif (old.deleted_at is null and old.hidden_at is null) and (new.deleted_at is not null or new.hidden_at is not null) then
    perform private.count_on_resource(new.resource_type, new.resource_id, 'comments_count', -1);
  elsif (old.deleted_at is not null or old.hidden_at is not null) and new.deleted_at is null and new.hidden_at is null then
    perform private.count_on_resource(new.resource_type, new.resource_id, 'comments_count', 1);
  end if;
  return null;
end $$;
create trigger comments_count_on_resource after insert or update of deleted_at, hidden_at on public.comments
  for each row execute function private.comments_count_on_resource();

-- Every hide and unhide is recorded by the core.
create trigger comments_record_moderation after update of hidden_at on public.comments
  for each row execute function private.record_moderation('comment');

-- ---------------------------------------------------------------------------------------------
-- Live: broadcasts on a private channel per resource, authorised by RLS on realtime.messages
-- ---------------------------------------------------------------------------------------------

create or replace function private.comments_topic(resource_type text, resource_id uuid) returns text
language sql immutable set search_path = '' as $$
  select 'comments:' || resource_type || ':' || resource_id::text
$$;

-- What changed, never the content: the island fetches what the viewer may see.
create or replace function private.comments_broadcast() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  changes text[] := '{}';
begin
  if tg_op = 'INSERT' then
    changes := array['created'];
  else
    if new.deleted_at is distinct from old.deleted_at then changes := array_append(changes, 'deleted'); end if;
    if new.edited_at is distinct from old.edited_at then changes := array_append(changes, 'edited'); end if;
    if new.hidden_at is distinct from old.hidden_at then
      changes := array_append(changes, case when new.hidden_at is null then 'unhidden' else 'hidden' end);
    end if;
    if (new.up_votes, new.down_votes) is distinct from (old.up_votes, old.down_votes) then changes := array_append(changes, 'votes'); end if;
    if new.official is distinct from old.official then changes := array_append(changes, 'official'); end if;
    if new.replies_count is distinct from old.replies_count then changes := array_append(changes, 'replies'); end if;
  end if;
  if cardinality(changes) > 0 then
    perform realtime.send(
      jsonb_build_object('comment_id', new.id, 'parent_id', new.parent_id, 'changes', to_jsonb(changes),
                         'updated_at', new.updated_at),
      'comment', private.comments_topic(new.resource_type, new.resource_id), true);
  end if;
  return null;
end $$;
create trigger comments_broadcast after insert or update on public.comments
  for each row execute function private.comments_broadcast();

-- May the current user join this comments topic? Whoever can view the resource's component.
create or replace function private.can_view_comments_topic(topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select private.can_view_component(private.comment_resource_component(parts[1], parts[2]::uuid))
    from (select regexp_match(topic, '^comments:([a-z][a-z_]{1,39}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') as parts) t
    where parts is not null
  ), false)
$$;

create policy "comments topics for whoever sees the resource" on realtime.messages for select to anon, authenticated
  using ((select realtime.topic()) like 'comments:%' and (select private.can_view_comments_topic(realtime.topic())));

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------


alter table public.comments enable row level security;
create policy "comments of visible resources; hidden ones for moderators" on public.comments for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and (hidden_at is null or space_id = any ((select private.moderated_space_ids())::uuid[]))
    -- A visible component may hold resources the caller may not see (a draft, a hidden proposal):
    -- their features list them in the registry, and their threads are theirs too.
    and not resource_id = any ((select private.unviewable_resource_ids())::uuid[]));
create policy "signed-in people comment where the component allows it" on public.comments for insert to authenticated
  with check (author_id = (select auth.uid()) and (select private.component_allows(component_id, 'comment')));
create policy "authors, moderators and admins update comments" on public.comments for update to authenticated
  using ((select private.can_view_component(component_id))
    and (author_id = (select auth.uid()) or (select private.has_space_role(space_id, 'moderator'))))
  with check ((select private.can_view_component(component_id))
    and (author_id = (select auth.uid()) or (select private.has_space_role(space_id, 'moderator'))));
revoke insert, update, delete on public.comments from anon;
revoke insert, update, delete on public.comments from authenticated;
grant insert (resource_type, resource_id, component_id, parent_id, alignment, body) on public.comments to authenticated;
grant update (body, alignment, deleted_at, hidden_at, official) on public.comments to authenticated;


alter table public.comment_votes enable row level security;
create policy "people see their own votes" on public.comment_votes for select to authenticated
  using (user_id = (select auth.uid()));
create policy "signed-in people vote on comments they see, where commenting is open" on public.comment_votes for insert to authenticated
  with check (user_id = (select auth.uid()) and exists (
    select 1 from public.comments c where c.id = comment_id and c.deleted_at is null
      and (select private.component_allows(c.component_id, 'comment'))));
create policy "people change their vote" on public.comment_votes for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and exists (
    select 1 from public.comments c where c.id = comment_id and c.deleted_at is null
      and (select private.component_allows(c.component_id, 'comment'))));
create policy "people withdraw their vote" on public.comment_votes for delete to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.comment_votes from anon;
revoke update on public.comment_votes from authenticated;
grant update (value) on public.comment_votes to authenticated;



grant execute on function
  private.comment_resource_component(text, uuid), private.is_api_role(), private.comment_component(uuid), private.comment_parent(uuid), private.comment_max_length(jsonb),
  private.comments_topic(text, uuid), private.can_view_comments_topic(text)
  to anon, authenticated, service_role;

-- The `comment` resource type: reportable only (comments are not commented, liked or followed).
-- A comment is reported by whoever may read it (the select policy's rule, for the registry).
create or replace function private.comment_component_for_reports(comment uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select c.component_id from public.comments c
  where c.id = comment
    and c.component_id = any ((select private.visible_component_ids())::uuid[])
    and (c.hidden_at is null or c.space_id = any ((select private.moderated_space_ids())::uuid[]))
    and not c.resource_id = any ((select private.unviewable_resource_ids())::uuid[])
$$;
revoke all on function private.comment_component_for_reports(uuid) from public, anon, authenticated;
create or replace function private.comment_is_visible(comment uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.comment_component_for_reports(comment) is not null
$$;
revoke all on function private.comment_is_visible(uuid) from public, anon, authenticated;
insert into public.resource_types (resource_type, feature, capabilities, component_of, reported, can_view)
values ('comment', 'comments', '{reportable,versioned}', 'private.comment_component_for_reports(uuid)',
        'private.comment_reported(uuid, integer, boolean)', 'private.comment_is_visible(uuid)');
