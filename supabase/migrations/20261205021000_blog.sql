-- The `blog` feature (Decidim's decidim-blogs, shown as "News"): posts with a translated title and
-- a rich body (sanitised HTML, by the server, before it is stored), signed by the organization or
-- by a participant where the component lets participants write, published at once or at a time
-- to come (a scheduled post shows to the space's admins and collaborators only until then);
-- comments, likes, follows, reports and versions through the shared resource layer; the space's
-- followers (and, in a private space, its members) notified of each post once it is out (core
-- notifications). Sections in the order CONTRIBUTING.md gives.

-- Registration: the feature and the actions its settings gate (the manifest declares the same).
insert into public.component_features (feature) values ('blog') on conflict do nothing;
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting) values
  ('blog', 'create', 'creation_enabled', null, 'creation_blocked'),
  ('blog', 'comment', 'comments_enabled', null, 'comments_blocked'),
  ('blog', 'like', 'likes_enabled', null, 'likes_blocked')
on conflict (feature, action) do update
  set global_enabled_setting = excluded.global_enabled_setting,
      phase_enabled_setting = excluded.phase_enabled_setting,
      phase_blocked_setting = excluded.phase_blocked_setting;

insert into public.notification_kinds (kind, feature) values ('blog.post_published', 'blog');

-- The longest translation of a translated text (titles have a limit in every language).
create or replace function private.blog_longest_translation(value jsonb) returns integer
language sql immutable set search_path = '' as $$
  select coalesce(max(char_length(e.value)), 0) from jsonb_each_text(value) e
$$;

-- ---------------------------------------------------------------------------------------------
-- Posts
-- ---------------------------------------------------------------------------------------------

create table public.blog_posts (
  id uuid primary key default gen_random_uuid(),
  component_id uuid not null references public.components (id) on delete cascade,
  -- Copied from the component by the insert trigger: policies read it without a join.
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- Who signs it: a participant, or null for the organization.
  author_id uuid references public.profiles (id) on delete set null,
  -- Who wrote it (an admin writing for the organization): the action log's, never shown.
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  title jsonb not null,
  -- Translated HTML of a small safe subset, sanitised by the server before it is stored.
  body jsonb not null default '{}',
  -- When it shows (a time to come schedules it).
  published_at timestamptz not null default now(),
  -- When the space's followers were told (at publication, or once its time came).
  announced_at timestamptz,
  hidden_at timestamptz,
  likes_count integer not null default 0,
  comments_count integer not null default 0,
  follows_count integer not null default 0,
  reports_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  edited_at timestamptz,
  constraint blog_posts_title check (private.is_translated(title, true) and private.blog_longest_translation(title) <= 150),
  constraint blog_posts_body check (private.is_translated(body) and private.blog_longest_translation(body) <= 60000),
  constraint blog_posts_counts check (likes_count >= 0 and comments_count >= 0 and follows_count >= 0 and reports_count >= 0)
);
create index blog_posts_component_idx on public.blog_posts (component_id, published_at desc, id) where hidden_at is null;
create index blog_posts_due_idx on public.blog_posts (published_at) where announced_at is null and hidden_at is null;
create index blog_posts_space_moderation_idx on public.blog_posts (space_id, reports_count) where reports_count > 0 or hidden_at is not null;
create index blog_posts_author_idx on public.blog_posts (author_id) where author_id is not null;
alter table public.blog_posts enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Who sees what
-- ---------------------------------------------------------------------------------------------

-- May the caller see this post? Row values in (the policy must not read the table it guards).
-- Out and not hidden: whoever sees the component. Scheduled: the space's admins and
-- collaborators (a preview). Hidden: the space's moderators. Their own: their author.
create or replace function private.can_view_blog_post_row(component uuid, space uuid, author uuid, published_at timestamptz, hidden_at timestamptz)
returns boolean
language sql stable security definer set search_path = '' as $$
  select private.can_view_component(component) and (
    (hidden_at is null and published_at <= now())
    or (author is not null and author = (select auth.uid()))
    or (hidden_at is null and private.has_space_role(space, 'collaborator'))
    or private.has_space_role(space, 'moderator'))
$$;

create or replace function private.can_view_blog_post(post uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.blog_posts p where p.id = post
                 and private.can_view_blog_post_row(p.component_id, p.space_id, p.author_id, p.published_at, p.hidden_at))
$$;

-- Out, not hidden, and seen: open to comments, likes, follows and reports.
create or replace function private.blog_post_is_open(post uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.blog_posts p where p.id = post and p.hidden_at is null and p.published_at <= now()
                 and private.can_view_component(p.component_id))
$$;

-- The `blog_post` resource type on the shared layer: its component, for a post that is out and
-- that the caller may see.
create or replace function private.blog_post_resource_component(post uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.component_id from public.blog_posts p where p.id = post and p.hidden_at is null and p.published_at <= now()
    and private.can_view_component(p.component_id)
$$;

-- The posts the caller may not see although their component is visible (scheduled, hidden),
-- once per query for the shared policies (a post's comments, likes and versions go with it).
create or replace function private.unviewable_blog_post_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(p.id), '{}') from public.blog_posts p
  where (p.hidden_at is not null or p.published_at > now())
    and not private.can_view_blog_post_row(p.component_id, p.space_id, p.author_id, p.published_at, p.hidden_at)
$$;

create or replace function private.blog_post_title(post uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select p.title from public.blog_posts p where p.id = post
$$;

-- The core counts the reports; the third hides the post pending review (once).
create or replace function private.blog_post_reported(post uuid, reports integer, hide boolean) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  hid boolean;
begin
  update public.blog_posts
  set reports_count = reports, hidden_at = case when hide and hidden_at is null then now() else hidden_at end
  where id = post
  returning hidden_at is not null into hid;
  return coalesce(hid, false);
end $$;

-- What the write rules need to know whoever writes.
create or replace function private.blog_component(component uuid) returns table (space_id uuid, feature text)
language sql stable security definer set search_path = '' as $$
  select c.space_id, c.feature from public.components c where c.id = component
$$;

grant execute on function
  private.blog_longest_translation(jsonb), private.can_view_blog_post_row(uuid, uuid, uuid, timestamptz, timestamptz),
  private.can_view_blog_post(uuid), private.blog_post_is_open(uuid), private.unviewable_blog_post_ids(), private.blog_component(uuid)
  to anon, authenticated, service_role;
revoke all on function private.blog_post_resource_component(uuid), private.blog_post_title(uuid),
  private.blog_post_reported(uuid, integer, boolean) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Rules on write
-- ---------------------------------------------------------------------------------------------

-- Runs as the writer (not security definer) so that `is_api_role()` tells a person's write from
-- the trusted ones (the counters' triggers, the scheduled announcement, the seed).
create or replace function private.blog_posts_before_insert() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
begin
  select * into comp from private.blog_component(new.component_id);
  if comp.feature is distinct from 'blog' then
    raise exception 'a post belongs to a news component' using errcode = '23514', constraint = 'blog_posts_component_feature';
  end if;
  new.space_id := comp.space_id;
  if private.is_api_role() then
    new.likes_count := 0; new.comments_count := 0; new.follows_count := 0; new.reports_count := 0;
    new.hidden_at := null; new.edited_at := null; new.announced_at := null;
    new.created_at := now(); new.updated_at := now();
    new.created_by := (select auth.uid());
    if private.has_space_role(new.space_id, 'admin') then
      -- The space's admins sign for the organization or as themselves, and may schedule.
      if new.author_id is not null and new.author_id is distinct from (select auth.uid()) then
        raise exception 'a post is signed by the organization or its writer' using errcode = '42501';
      end if;
      new.published_at := greatest(coalesce(new.published_at, now()), now());
    else
      -- Participants (where the component lets them) sign their own posts, out at once.
      new.author_id := (select auth.uid());
      new.published_at := now();
    end if;
  end if;
  if new.announced_at is null and new.published_at <= now() and new.hidden_at is null then
    new.announced_at := now();
  end if;
  return new;
end $$;
create trigger blog_posts_before_insert before insert on public.blog_posts
  for each row execute function private.blog_posts_before_insert();

-- Admins change anything but the counters; authors their own post's text; moderators hide and
-- unhide; nobody rewrites who signed it nor when it was told.
create or replace function private.blog_posts_before_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  admin boolean;
begin
  if not private.is_api_role() then
    new.updated_at := now();
    return new;
  end if;
  if (new.id, new.component_id, new.space_id, new.created_by, new.announced_at, new.likes_count, new.comments_count,
      new.follows_count, new.reports_count, new.created_at, new.edited_at)
     is distinct from
     (old.id, old.component_id, old.space_id, old.created_by, old.announced_at, old.likes_count, old.comments_count,
      old.follows_count, old.reports_count, old.created_at, old.edited_at) then
    raise exception 'these columns are not editable' using errcode = '42501';
  end if;
  admin := private.has_space_role(old.space_id, 'admin');
  if not admin and (new.author_id is distinct from old.author_id or new.published_at is distinct from old.published_at) then
    raise exception 'only admins change who signs a post and when it shows' using errcode = '42501';
  end if;
  if admin and new.author_id is distinct from old.author_id and new.author_id is not null and new.author_id is distinct from (select auth.uid()) then
    raise exception 'a post is signed by the organization or its writer' using errcode = '42501';
  end if;
  if (new.title, new.body) is distinct from (old.title, old.body)
     and not (admin or (old.author_id is not null and old.author_id = (select auth.uid()))) then
    raise exception 'only its author and the space''s admins edit a post' using errcode = '42501';
  end if;
  if new.hidden_at is distinct from old.hidden_at then
    if not private.has_space_role(old.space_id, 'moderator') then
      raise exception 'only moderators hide posts' using errcode = '42501';
    end if;
    new.hidden_at := case when new.hidden_at is null then null else now() end;
  end if;
  if (new.title, new.body) is distinct from (old.title, old.body) then
    new.edited_at := now();
  end if;
  -- Out now and never told (an admin published it early, a moderator unhid it): told now. A post
  -- moved to a time to come before it was told is told then (the scheduled job).
  if old.announced_at is null and new.published_at <= now() and new.hidden_at is null then
    new.announced_at := now();
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger blog_posts_before_update before update on public.blog_posts
  for each row execute function private.blog_posts_before_update();

-- Told once, when it is out: the space's followers and, in a private space, its members (never
-- its author). The core checks that each of them may see it.
create or replace function private.blog_posts_announce() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.announced_at is not null and (tg_op = 'INSERT' or old.announced_at is null) then
    perform private.raise_notification(
      kind => 'blog.post_published', resource_type => 'blog_post', resource_id => new.id, component_id => new.component_id,
      audiences => array['space_followers', 'space_members'], except_ids => array_remove(array[new.author_id], null),
      actor_id => coalesce(new.author_id, new.created_by));
  end if;
  return null;
end $$;
create trigger blog_posts_announce after insert or update of announced_at on public.blog_posts
  for each row execute function private.blog_posts_announce();

-- A participant follows what they wrote; each text is a version (core versions).
create or replace function private.blog_posts_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.author_id is not null then
    insert into public.follows (resource_type, resource_id, user_id) values ('blog_post', new.id, new.author_id) on conflict do nothing;
  end if;
  insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
  values ('blog_post', new.id, new.component_id, new.space_id, 1, jsonb_build_object('title', new.title, 'body', new.body), new.created_by);
  return null;
end $$;
create trigger blog_posts_after_insert after insert on public.blog_posts
  for each row execute function private.blog_posts_after_insert();

create or replace function private.blog_posts_keep_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (new.title, new.body) is distinct from (old.title, old.body) then
    insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
    values ('blog_post', new.id, new.component_id, new.space_id,
            coalesce((select max(v.version) from public.versions v where v.resource_type = 'blog_post' and v.resource_id = new.id), 0) + 1,
            jsonb_build_object('title', new.title, 'body', new.body), (select auth.uid()));
  end if;
  return null;
end $$;
create trigger blog_posts_keep_version after update of title, body on public.blog_posts
  for each row execute function private.blog_posts_keep_version();

-- Scheduled posts whose time has come: told now (the `blog.announce-scheduled` job, every
-- minute). Returns the posts it announced.
create or replace function private.blog_announce_due_posts() returns setof uuid
language sql security definer set search_path = '' as $$
  update public.blog_posts set announced_at = now()
  where announced_at is null and hidden_at is null and published_at <= now()
  returning id
$$;
revoke all on function private.blog_announce_due_posts() from public, anon, authenticated;
grant execute on function private.blog_announce_due_posts() to service_role;

-- ---------------------------------------------------------------------------------------------
-- Grants and policies
-- ---------------------------------------------------------------------------------------------

revoke insert, update, delete on public.blog_posts from anon;
revoke insert, update, delete on public.blog_posts from authenticated;
grant insert (component_id, author_id, title, body, published_at) on public.blog_posts to authenticated;
grant update (author_id, title, body, published_at, hidden_at) on public.blog_posts to authenticated;
grant delete on public.blog_posts to authenticated;

create policy "posts that are out for whoever sees the component; scheduled ones for the space's team; hidden ones for its moderators"
  on public.blog_posts for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and ((hidden_at is null and published_at <= now())
      or (author_id is not null and author_id = (select auth.uid()))
      or space_id = any ((select private.moderated_space_ids())::uuid[])
      or (hidden_at is null and (select private.has_space_role(space_id, 'collaborator')))));
create policy "space admins post; participants post where the component lets them" on public.blog_posts for insert to authenticated
  with check ((select private.has_space_role(space_id, 'admin'))
    or (author_id = (select auth.uid()) and (select private.component_allows(component_id, 'create'))));
create policy "space admins, moderators and authors update posts" on public.blog_posts for update to authenticated
  using ((select private.can_view_blog_post_row(component_id, space_id, author_id, published_at, hidden_at))
    and ((select private.has_space_role(space_id, 'moderator')) or (author_id is not null and author_id = (select auth.uid()))))
  with check ((select private.has_space_role(space_id, 'moderator')) or (author_id is not null and author_id = (select auth.uid())));
create policy "space admins delete posts" on public.blog_posts for delete to authenticated
  using ((select private.has_space_role(space_id, 'admin')));

-- ---------------------------------------------------------------------------------------------
-- The resource type on the shared layer, moderation, deletion, the action log
-- ---------------------------------------------------------------------------------------------

insert into public.resource_types (resource_type, feature, capabilities, component_of, unviewable, is_open, reported, can_view, counted_in, title_of)
values ('blog_post', 'blog', '{commentable,likeable,followable,reportable,versioned}', 'private.blog_post_resource_component(uuid)',
        'private.unviewable_blog_post_ids()', 'private.blog_post_is_open(uuid)', 'private.blog_post_reported(uuid, integer, boolean)',
        'private.can_view_blog_post(uuid)', 'public.blog_posts', 'private.blog_post_title(uuid)');

create trigger blog_posts_record_moderation after update of hidden_at on public.blog_posts
  for each row execute function private.record_moderation('blog_post');
create trigger blog_posts_forget after delete on public.blog_posts
  for each row execute function private.forget_resource('blog_post');
-- What people write and admins decide, not the counters that likes and comments move.
create trigger blog_posts_log after insert or delete or update of author_id, title, body, published_at, hidden_at on public.blog_posts
  for each row execute function private.log_admin_change();
