-- Collaborative drafts (Decidim's `collaborative_drafts_enabled`), made live: a participant starts
-- a draft in a proposals component; it is listed (open, withdrawn, published) with its
-- collaborators; others request access and any collaborator accepts or rejects; the collaborators
-- co-edit the body through the co-editing service (document kind `proposals/<draft>/draft_body`);
-- the draft is withdrawn, or published as a proposal whose authors are all its collaborators,
-- within the component's proposal limits. Follows, comments and reports through the shared layer.

create table public.proposal_collaborative_drafts (
  id uuid primary key default gen_random_uuid(),
  component_id uuid not null references public.components (id) on delete cascade,
  -- Copied from the component by the insert trigger: policies read it without a join.
  space_id uuid not null references public.spaces (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  title text not null,
  -- The text as last saved from the live document (sanitised HTML): what people without
  -- JavaScript read, and what publishing starts from.
  body text not null default '',
  state text not null default 'open',
  published_proposal_id uuid references public.proposals (id) on delete set null,
  withdrawn_at timestamptz,
  published_at timestamptz,
  hidden_at timestamptz,
  likes_count integer not null default 0,
  comments_count integer not null default 0,
  follows_count integer not null default 0,
  reports_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint proposal_collaborative_drafts_title_length check (char_length(btrim(title)) between 5 and 150),
  constraint proposal_collaborative_drafts_body_size check (char_length(body) <= 60000),
  constraint proposal_collaborative_drafts_state check (
    (state = 'open' and withdrawn_at is null and published_at is null)
    or (state = 'withdrawn' and withdrawn_at is not null and published_at is null)
    or (state = 'published' and published_at is not null and withdrawn_at is null))
);
create index proposal_collaborative_drafts_component_idx on public.proposal_collaborative_drafts (component_id, state, created_at desc);

create table public.proposal_draft_collaborators (
  draft_id uuid not null references public.proposal_collaborative_drafts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (draft_id, user_id)
);
create index proposal_draft_collaborators_user_idx on public.proposal_draft_collaborators (user_id);

-- Pending requests for access; accepting one makes a collaborator (and deletes it), rejecting deletes it.
create table public.proposal_draft_requests (
  draft_id uuid not null references public.proposal_collaborative_drafts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (draft_id, user_id)
);

-- ---------------------------------------------------------------------------------------------
-- Who is who
-- ---------------------------------------------------------------------------------------------

create or replace function private.is_draft_collaborator(draft uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select (select auth.uid()) is not null and exists (
    select 1 from public.proposal_draft_collaborators c where c.draft_id = draft and c.user_id = (select auth.uid()))
$$;

create or replace function private.can_view_collaborative_draft(draft uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.proposal_collaborative_drafts d
    where d.id = draft and private.can_view_component(d.component_id)
      and (d.hidden_at is null or private.has_space_role(d.space_id, 'moderator') or private.is_draft_collaborator(d.id)))
$$;

-- Open to participation: seen, open and not hidden.
create or replace function private.collaborative_draft_is_open(draft uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.proposal_collaborative_drafts d
    where d.id = draft and d.state = 'open' and d.hidden_at is null and private.can_view_component(d.component_id))
$$;

-- ---------------------------------------------------------------------------------------------
-- Rules
-- ---------------------------------------------------------------------------------------------

create or replace function private.proposal_drafts_before_insert() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
begin
  select * into comp from private.proposal_component(new.component_id);
  if comp.feature is distinct from 'proposals' then
    raise exception 'a collaborative draft belongs to a proposals component' using errcode = '23514', constraint = 'proposal_collaborative_drafts_component';
  end if;
  new.space_id := comp.space_id;
  if private.is_api_role() then
    if not private.bool_setting(comp.settings, 'collaborative_drafts_enabled', false) then
      raise exception 'collaborative drafts are not enabled here' using errcode = '42501';
    end if;
    if not private.component_allows(new.component_id, 'create') then
      raise exception 'proposals are closed' using errcode = '42501';
    end if;
    new.author_id := (select auth.uid());
    new.state := 'open'; new.withdrawn_at := null; new.published_at := null; new.published_proposal_id := null;
    new.hidden_at := null; new.likes_count := 0; new.comments_count := 0; new.follows_count := 0; new.reports_count := 0;
    new.created_at := now(); new.updated_at := now();
  end if;
  return new;
end $$;
create trigger proposal_drafts_before_insert before insert on public.proposal_collaborative_drafts
  for each row execute function private.proposal_drafts_before_insert();

-- The starter is the first collaborator and follows the draft.
create or replace function private.proposal_drafts_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.author_id is not null then
    insert into public.proposal_draft_collaborators (draft_id, user_id) values (new.id, new.author_id) on conflict do nothing;
    insert into public.follows (resource_type, resource_id, user_id) values ('collaborative_draft', new.id, new.author_id)
    on conflict do nothing;
  end if;
  return null;
end $$;
create trigger proposal_drafts_after_insert after insert on public.proposal_collaborative_drafts
  for each row execute function private.proposal_drafts_after_insert();

-- Collaborators edit an open draft's title and saved body, and withdraw it (state follows
-- `withdrawn_at`); publishing goes through publish_collaborative_draft.
create or replace function private.proposal_drafts_before_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  if not private.is_api_role() then
    return new;
  end if;
  if (new.title, new.body, new.withdrawn_at) is distinct from (old.title, old.body, old.withdrawn_at)
     and not private.is_draft_collaborator(old.id) then
    raise exception 'collaborators edit their draft' using errcode = '42501';
  end if;
  if old.state <> 'open' and (new.title, new.body, new.withdrawn_at) is distinct from (old.title, old.body, old.withdrawn_at) then
    raise exception 'only an open draft changes' using errcode = '23514', constraint = 'proposal_collaborative_drafts_open';
  end if;
  if new.withdrawn_at is not null and old.withdrawn_at is null then
    new.withdrawn_at := now();
    new.state := 'withdrawn';
  elsif new.withdrawn_at is null and old.withdrawn_at is not null then
    raise exception 'a withdrawn draft stays withdrawn' using errcode = '23514', constraint = 'proposal_collaborative_drafts_open';
  end if;
  if new.hidden_at is distinct from old.hidden_at and not private.has_space_role(old.space_id, 'moderator') then
    raise exception 'moderators hide and unhide' using errcode = '42501';
  end if;
  return new;
end $$;
create trigger proposal_drafts_before_update before update on public.proposal_collaborative_drafts
  for each row execute function private.proposal_drafts_before_update();

-- Who may edit changes when the draft closes or a collaborator goes: open connections to its
-- document are re-checked at once (the co-editing service listens).
create or replace function private.proposal_drafts_rights_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.collab_rights_changed(
    'proposals/' || (coalesce(to_jsonb(new), to_jsonb(old)) ->> (case when tg_table_name = 'proposal_collaborative_drafts' then 'id' else 'draft_id' end)) || '/');
  return null;
end $$;
create trigger proposal_drafts_rights_changed after update of state, hidden_at on public.proposal_collaborative_drafts
  for each row execute function private.proposal_drafts_rights_changed();
create trigger proposal_draft_collaborators_rights_changed after delete on public.proposal_draft_collaborators
  for each row execute function private.proposal_drafts_rights_changed();

-- Accepting a request: a collaborator adds its author, on an open draft, and the request goes.
create or replace function private.proposal_draft_collaborators_before_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not private.is_api_role() then
    return coalesce(new, old);
  end if;
  if tg_op = 'INSERT' then
    if not private.is_draft_collaborator(new.draft_id) then
      raise exception 'collaborators accept requests' using errcode = '42501';
    end if;
    if not exists (select 1 from public.proposal_collaborative_drafts d where d.id = new.draft_id and d.state = 'open')
       or not exists (select 1 from public.proposal_draft_requests r where r.draft_id = new.draft_id and r.user_id = new.user_id) then
      raise exception 'collaborators accept requests on open drafts' using errcode = '23514', constraint = 'proposal_draft_collaborators_request';
    end if;
    new.created_at := now();
    return new;
  end if;
  -- A collaborator leaves; the last one stays (the draft would be nobody's).
  perform pg_advisory_xact_lock(hashtextextended('proposal_draft_collaborators:' || old.draft_id::text, 0));
  if (select count(*) from public.proposal_draft_collaborators c where c.draft_id = old.draft_id) <= 1 then
    raise exception 'a draft keeps at least one collaborator' using errcode = '23514', constraint = 'proposal_draft_collaborators_last';
  end if;
  return old;
end $$;
create trigger proposal_draft_collaborators_before_write before insert or delete on public.proposal_draft_collaborators
  for each row execute function private.proposal_draft_collaborators_before_write();

create or replace function private.proposal_draft_collaborators_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.proposal_draft_requests r where r.draft_id = new.draft_id and r.user_id = new.user_id;
  insert into public.follows (resource_type, resource_id, user_id) values ('collaborative_draft', new.draft_id, new.user_id)
  on conflict do nothing;
  insert into public.notifications (user_id, kind, resource_type, resource_id, data)
  values (new.user_id, 'proposals.draft_access_accepted', 'collaborative_draft', new.draft_id, '{}');
  return null;
end $$;
create trigger proposal_draft_collaborators_after_insert after insert on public.proposal_draft_collaborators
  for each row execute function private.proposal_draft_collaborators_after_insert();

create or replace function private.proposal_draft_requests_before_insert() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.is_api_role() then
    new.user_id := (select auth.uid());
    new.created_at := now();
    if not private.collaborative_draft_is_open(new.draft_id) then
      raise exception 'access is requested to open drafts' using errcode = '23514', constraint = 'proposal_draft_requests_open';
    end if;
    if private.is_draft_collaborator(new.draft_id) then
      raise exception 'already a collaborator' using errcode = '23514', constraint = 'proposal_draft_requests_collaborator';
    end if;
  end if;
  return new;
end $$;
create trigger proposal_draft_requests_before_insert before insert on public.proposal_draft_requests
  for each row execute function private.proposal_draft_requests_before_insert();

-- The collaborators hear of a request.
create or replace function private.proposal_draft_requests_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.notifications (user_id, kind, resource_type, resource_id, data)
  select c.user_id, 'proposals.draft_access_requested', 'collaborative_draft', new.draft_id, jsonb_build_object('requester', new.user_id)
  from public.proposal_draft_collaborators c where c.draft_id = new.draft_id;
  return null;
end $$;
create trigger proposal_draft_requests_after_insert after insert on public.proposal_draft_requests
  for each row execute function private.proposal_draft_requests_after_insert();

-- ---------------------------------------------------------------------------------------------
-- Publishing: the proposal the caller just inserted (as themselves, through the proposals' own
-- RLS and rules) gets every collaborator as an author, each within the component's limit
-- ---------------------------------------------------------------------------------------------

create or replace function public.publish_collaborative_draft(draft uuid, proposal uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  d record;
  p record;
  lim integer;
  who record;
begin
  select * into d from public.proposal_collaborative_drafts x where x.id = draft for update;
  if not found or not private.is_draft_collaborator(draft) then
    raise exception 'collaborators publish their draft' using errcode = '42501';
  end if;
  if d.state <> 'open' or d.hidden_at is not null then
    raise exception 'only an open draft is published' using errcode = '23514', constraint = 'proposal_collaborative_drafts_open';
  end if;
  select * into p from public.proposals x where x.id = proposal;
  if not found or p.author_id is distinct from (select auth.uid()) or p.component_id <> d.component_id
     or p.published_at is null or p.amends_id is not null or p.official
     or p.created_at < now() - interval '1 minute' or exists (select 1 from public.proposal_collaborative_drafts o where o.published_proposal_id = proposal) then
    raise exception 'a draft is published as the proposal its collaborator has just published' using errcode = '23514', constraint = 'proposal_collaborative_drafts_publish';
  end if;
  lim := private.int_setting((select c.settings from public.components c where c.id = d.component_id), 'proposal_limit', 0);
  for who in select c.user_id from public.proposal_draft_collaborators c where c.draft_id = draft and c.user_id <> (select auth.uid()) order by c.created_at loop
    if lim > 0 then
      perform pg_advisory_xact_lock(hashtextextended('proposal_limit:' || d.component_id::text || ':' || who.user_id::text, 0));
      if (select count(*) from public.proposals x
          join public.proposal_coauthors a on a.proposal_id = x.id and a.user_id = who.user_id and a.status = 'accepted'
          where x.component_id = d.component_id and x.published_at is not null and x.withdrawn_at is null and x.amends_id is null) >= lim then
        raise exception 'a collaborator has reached the limit of % proposals', lim using errcode = '23514', constraint = 'proposals_limit';
      end if;
    end if;
    insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
    values (proposal, who.user_id, 'accepted', (select auth.uid()), now()) on conflict (proposal_id, user_id) do nothing;
    insert into public.follows (resource_type, resource_id, user_id) values ('proposal', proposal, who.user_id) on conflict do nothing;
  end loop;
  update public.proposal_collaborative_drafts set state = 'published', published_at = now(), published_proposal_id = proposal, body = p.body
  where id = draft;
end $$;
revoke all on function public.publish_collaborative_draft(uuid, uuid) from public, anon;
grant execute on function public.publish_collaborative_draft(uuid, uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Policies
-- ---------------------------------------------------------------------------------------------

alter table public.proposal_collaborative_drafts enable row level security;
create policy "drafts of visible components, hidden ones to moderators and collaborators" on public.proposal_collaborative_drafts
  for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and (hidden_at is null or space_id = any ((select private.moderated_space_ids())::uuid[]) or (select private.is_draft_collaborator(id))
         -- The row being inserted (`returning id`): its starter becomes a collaborator only after it.
         or author_id = (select auth.uid())));
create policy "participants start drafts" on public.proposal_collaborative_drafts for insert to authenticated
  with check (component_id = any ((select private.visible_component_ids())::uuid[]) and author_id = (select auth.uid()));
create policy "collaborators edit and withdraw, moderators hide" on public.proposal_collaborative_drafts for update to authenticated
  using ((select private.is_draft_collaborator(id)) or (select private.has_space_role(space_id, 'moderator')))
  with check ((select private.is_draft_collaborator(id)) or (select private.has_space_role(space_id, 'moderator')));
revoke insert, update, delete on public.proposal_collaborative_drafts from anon;
revoke insert, update, delete on public.proposal_collaborative_drafts from authenticated;
grant insert (component_id, title, body) on public.proposal_collaborative_drafts to authenticated;
grant update (title, body, withdrawn_at, hidden_at) on public.proposal_collaborative_drafts to authenticated;

alter table public.proposal_draft_collaborators enable row level security;
create policy "collaborators of visible drafts" on public.proposal_draft_collaborators for select to anon, authenticated
  using ((select private.can_view_collaborative_draft(draft_id)));
create policy "collaborators accept requests" on public.proposal_draft_collaborators for insert to authenticated
  with check ((select private.is_draft_collaborator(draft_id)));
create policy "collaborators leave" on public.proposal_draft_collaborators for delete to authenticated
  using (user_id = (select auth.uid()));
revoke insert, update, delete on public.proposal_draft_collaborators from anon;
revoke update on public.proposal_draft_collaborators from authenticated;

alter table public.proposal_draft_requests enable row level security;
create policy "requesters and collaborators see requests" on public.proposal_draft_requests for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_draft_collaborator(draft_id)));
create policy "participants request access" on public.proposal_draft_requests for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "requesters withdraw, collaborators reject" on public.proposal_draft_requests for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_draft_collaborator(draft_id)));
revoke insert, update, delete on public.proposal_draft_requests from anon;
revoke update on public.proposal_draft_requests from authenticated;

-- ---------------------------------------------------------------------------------------------
-- The shared layer: comments, follows, reports
-- ---------------------------------------------------------------------------------------------

create or replace function private.collaborative_draft_component(draft uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select d.component_id from public.proposal_collaborative_drafts d where d.id = draft and private.can_view_collaborative_draft(d.id)
$$;
create or replace function private.unviewable_collaborative_draft_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(d.id), '{}') from public.proposal_collaborative_drafts d
  where d.hidden_at is not null and not private.can_view_collaborative_draft(d.id)
$$;
create or replace function private.collaborative_draft_reported(draft uuid, reports integer, hide boolean) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  hid boolean;
begin
  update public.proposal_collaborative_drafts
  set reports_count = reports, hidden_at = case when hide and hidden_at is null then now() else hidden_at end
  where id = draft
  returning hidden_at is not null into hid;
  return coalesce(hid, false);
end $$;
revoke all on function private.collaborative_draft_reported(uuid, integer, boolean) from public, anon, authenticated;
grant execute on function private.is_draft_collaborator(uuid), private.can_view_collaborative_draft(uuid),
  private.collaborative_draft_is_open(uuid), private.collaborative_draft_component(uuid), private.unviewable_collaborative_draft_ids()
  to anon, authenticated, service_role;

insert into public.resource_types (resource_type, feature, capabilities, component_of, unviewable, is_open, reported, can_view, counted_in)
values ('collaborative_draft', 'proposals', '{commentable,followable,reportable}', 'private.collaborative_draft_component(uuid)',
        'private.unviewable_collaborative_draft_ids()', 'private.collaborative_draft_is_open(uuid)',
        'private.collaborative_draft_reported(uuid, integer, boolean)', 'private.can_view_collaborative_draft(uuid)',
        'public.proposal_collaborative_drafts');
create trigger proposal_drafts_record_moderation after update of hidden_at on public.proposal_collaborative_drafts
  for each row execute function private.record_moderation('collaborative_draft');
create trigger proposal_drafts_forget after delete on public.proposal_collaborative_drafts
  for each row execute function private.forget_resource('collaborative_draft');

-- ---------------------------------------------------------------------------------------------
-- The co-edited body: `proposals/<draft id>/draft_body`
-- ---------------------------------------------------------------------------------------------

-- As the caller (security invoker): the draft must be visible to them under the policy above.
-- Collaborators write an open draft; whoever sees it reads (a published or withdrawn one too).
create or replace function private.proposal_draft_body_access(draft uuid) returns text
language sql stable security invoker set search_path = '' as $$
  select case when d.state = 'open' and d.hidden_at is null and (select private.is_draft_collaborator(d.id)) then 'write' else 'read' end
  from public.proposal_collaborative_drafts d where d.id = draft
$$;
grant execute on function private.proposal_draft_body_access(uuid) to anon, authenticated;
insert into public.collab_document_kinds (feature, field, access) values ('proposals', 'draft_body', 'private.proposal_draft_body_access(uuid)');
