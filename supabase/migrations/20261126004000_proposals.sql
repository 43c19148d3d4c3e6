-- The `proposals` feature (Decidim's decidim-proposals): citizens submit geolocated proposals,
-- support ("vote") and like them, amend them, write them with co-authors; the organization answers
-- them with its own states. Every rule lives in its migrations: limits per participant, vote limits, minimum
-- votes, thresholds, edit window, per-phase switches, visibility of drafts, emendations and
-- hidden proposals, who answers and who evaluates. Live counts go out as database broadcasts on a
-- private channel per component. This file is the core (proposals, states, co-authors, versions,
-- visibility, counters, broadcasts, the resource registration); supports, amendments, answers and
-- evaluation, and split/merge/import follow in their own migrations (…4100 to …4400).

insert into public.component_features (feature) values ('proposals') on conflict do nothing;

-- The manifest (src/features/proposals/manifest.ts) declares the same gating.
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting) values
  ('proposals', 'create', null, 'creation_enabled', null),
  ('proposals', 'vote', null, 'votes_enabled', 'votes_blocked'),
  ('proposals', 'like', null, 'likes_enabled', 'likes_blocked'),
  ('proposals', 'comment', 'comments_enabled', null, 'comments_blocked'),
  ('proposals', 'amend', 'amendments_enabled', 'amendment_creation_enabled', null),
  ('proposals', 'react_to_amendment', 'amendments_enabled', 'amendment_reaction_enabled', null),
  ('proposals', 'promote_amendment', 'amendments_enabled', 'amendment_promotion_enabled', null)
on conflict (feature, action) do update
  set global_enabled_setting = excluded.global_enabled_setting,
      phase_enabled_setting = excluded.phase_enabled_setting,
      phase_blocked_setting = excluded.phase_blocked_setting;

-- A whole-number setting of a component, or `fallback` when it is absent or malformed (a bad
-- setting must not break every write that reads it).
create or replace function private.int_setting(settings jsonb, name text, fallback integer) returns integer
language sql immutable set search_path = '' as $$
  select case when jsonb_typeof(settings -> name) = 'number' and (settings ->> name)::numeric between 0 and 1000000000
         then (settings ->> name)::numeric::integer else fallback end
$$;
-- `fallback` is the manifest's default, for a component saved before the setting existed.
create or replace function private.bool_setting(settings jsonb, name text, fallback boolean default false) returns boolean
language sql immutable set search_path = '' as $$
  select case when settings ? name then coalesce(settings ->> name = 'true', false) else fallback end
$$;

-- ---------------------------------------------------------------------------------------------
-- States: admin-defined, per component (Decidim's ProposalState); the three defaults on creation
-- ---------------------------------------------------------------------------------------------

create table public.proposal_states (
  id uuid primary key default gen_random_uuid(),
  component_id uuid not null references public.components (id) on delete cascade,
  token text not null,
  name jsonb not null,
  -- Shown as a badge: text on a tinted background of this colour.
  color text not null default '#53575a',
  announcement jsonb not null default '{}',
  weight integer not null default 0,
  created_at timestamptz not null default now(),
  unique (component_id, token),
  unique (component_id, id),
  constraint proposal_states_token check (token ~ '^[a-z][a-z0-9_]{1,39}$'),
  constraint proposal_states_name check (private.is_translated(name, true)),
  constraint proposal_states_announcement check (private.is_translated(announcement)),
  constraint proposal_states_color check (color ~ '^#[0-9a-fA-F]{6}$')
);

create or replace function private.proposals_default_states() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.feature = 'proposals' then
    insert into public.proposal_states (component_id, token, name, color, weight) values
      (new.id, 'evaluating', '{"fr": "En cours d’évaluation", "en": "Evaluating"}', '#8a5300', 0),
      (new.id, 'accepted', '{"fr": "Acceptée", "en": "Accepted"}', '#1f7a3d', 1),
      (new.id, 'rejected', '{"fr": "Rejetée", "en": "Rejected"}', '#b3261e', 2);
  end if;
  return null;
end $$;
create trigger components_proposals_default_states after insert on public.components
  for each row execute function private.proposals_default_states();

-- ---------------------------------------------------------------------------------------------
-- Proposals
-- ---------------------------------------------------------------------------------------------

create table public.proposals (
  id uuid primary key default gen_random_uuid(),
  -- What people quote: "proposition n° 42".
  number bigint generated always as identity unique,
  component_id uuid not null references public.components (id) on delete cascade,
  -- Copied from the component by the insert trigger: policies read it without a join.
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- Who started it (null for official proposals and once the account is deleted); the people
  -- shown as authors are the accepted rows of proposal_coauthors.
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  official boolean not null default false,
  title text not null,
  -- HTML of a small safe subset, sanitised by the server before it is stored.
  body text not null default '',
  taxonomy_id uuid references public.taxonomies (id) on delete set null,
  address text,
  latitude double precision,
  longitude double precision,
  -- Drafts (the wizard's steps) are seen by their authors only; publishing sets this.
  published_at timestamptz,
  withdrawn_at timestamptz,
  hidden_at timestamptz,
  -- The published answer (the internal one is in proposal_answers until published).
  state_id uuid,
  answer jsonb not null default '{}',
  answered_at timestamptz,
  cost numeric(14, 2),
  cost_report jsonb not null default '{}',
  execution_period jsonb not null default '{}',
  -- An emendation is a proposal amending another one (Decidim's Amendment).
  amends_id uuid references public.proposals (id) on delete cascade,
  amendment_state text,
  -- Split and merge keep a trace of where a proposal came from.
  origin_ids uuid[] not null default '{}',
  supports_count integer not null default 0,
  -- Supports of people who have not yet cast the component's minimum: they count once they have.
  pending_supports integer not null default 0,
  likes_count integer not null default 0,
  comments_count integer not null default 0,
  follows_count integer not null default 0,
  authors_count integer not null default 0,
  reports_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  edited_at timestamptz,
  foreign key (component_id, state_id) references public.proposal_states (component_id, id),
  constraint proposals_title_length check (char_length(btrim(title)) between 5 and 150),
  constraint proposals_body_size check (char_length(body) <= 60000),
  constraint proposals_address_length check (address is null or char_length(address) <= 300),
  constraint proposals_point check (
    (latitude is null and longitude is null)
    or (latitude between -90 and 90 and longitude between -180 and 180)),
  constraint proposals_amendment_state check (
    (amends_id is null and amendment_state is null)
    or (amends_id is not null and amendment_state in ('evaluating', 'accepted', 'rejected', 'withdrawn', 'promoted'))),
  constraint proposals_answer check (private.is_translated(answer) and private.is_translated(cost_report)),
  constraint proposals_execution_period check (private.is_translated(execution_period)),
  constraint proposals_cost check (cost is null or cost >= 0),
  constraint proposals_counts check (supports_count >= 0 and pending_supports >= 0 and likes_count >= 0 and comments_count >= 0
    and follows_count >= 0 and authors_count >= 0 and reports_count >= 0)
);
create index proposals_component_recent_idx on public.proposals (component_id, published_at desc, id) where published_at is not null;
create index proposals_component_supports_idx on public.proposals (component_id, supports_count desc, id) where published_at is not null;
create index proposals_component_likes_idx on public.proposals (component_id, likes_count desc, id) where published_at is not null;
create index proposals_component_comments_idx on public.proposals (component_id, comments_count desc, id) where published_at is not null;
create index proposals_component_follows_idx on public.proposals (component_id, follows_count desc, id) where published_at is not null;
-- Geographic queries (within a box, near a point) without PostGIS: a range scan on latitude
-- inside the component, longitude checked on the rows it finds.
create index proposals_component_point_idx on public.proposals (component_id, latitude, longitude) where latitude is not null;
create index proposals_author_idx on public.proposals (author_id);
create index proposals_amends_idx on public.proposals (amends_id) where amends_id is not null;
create index proposals_taxonomy_idx on public.proposals (taxonomy_id) where taxonomy_id is not null;
create index proposals_space_moderation_idx on public.proposals (space_id, reports_count) where reports_count > 0 or hidden_at is not null;

create table public.proposal_coauthors (
  proposal_id uuid not null references public.proposals (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- Invited co-authors become authors when they accept; declining deletes the row.
  status text not null default 'invited',
  invited_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  primary key (proposal_id, user_id),
  constraint proposal_coauthors_status check (status in ('invited', 'accepted'))
);
create index proposal_coauthors_user_idx on public.proposal_coauthors (user_id, status);



-- ---------------------------------------------------------------------------------------------
-- Who is who
-- ---------------------------------------------------------------------------------------------

create or replace function private.is_proposal_author(proposal uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select (select auth.uid()) is not null and exists (
    select 1 from public.proposal_coauthors a
    where a.proposal_id = proposal and a.user_id = (select auth.uid()) and a.status = 'accepted')
$$;

-- The components whose active phase hides support counts ("votes_hidden"), once per query.
create or replace function private.votes_hidden(component uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.bool_setting(private.component_phase_settings(component), 'votes_hidden')
$$;

-- Emendations are seen by everyone unless the active phase restricts them to their authors.
create or replace function private.amendments_visible_to_all(component uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(private.component_phase_settings(component) ->> 'amendments_visibility', 'all') <> 'participants'
$$;

-- May the current user see this proposal? Row values in (as for spaces): the policy must not read
-- the table it guards. Drafts: their authors. Hidden: moderators. Emendations: per the phase, and
-- always to the authors of the proposal they amend (who accept or reject them: an amendment
-- restricted to "participants" still reaches the people who must answer it).
create or replace function private.can_view_proposal_row(
  proposal uuid, component uuid, space uuid, published_at timestamptz, hidden_at timestamptz, amends_id uuid
) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.can_view_component(component) and (
    (published_at is not null and private.has_space_role(space, 'moderator'))
    or private.is_proposal_author(proposal)
    or (published_at is not null and hidden_at is null
        and (amends_id is null or private.amendments_visible_to_all(component) or private.is_proposal_author(amends_id))))
$$;

create or replace function private.can_view_proposal(proposal uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.proposals p where p.id = proposal
      and private.can_view_proposal_row(p.id, p.component_id, p.space_id, p.published_at, p.hidden_at, p.amends_id))
$$;

-- A proposal open to participation (supports, likes, follows, reports): published, visible,
-- neither withdrawn nor hidden.
create or replace function private.proposal_is_open(proposal uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.proposals p where p.id = proposal
      and p.published_at is not null and p.withdrawn_at is null and p.hidden_at is null
      and private.can_view_proposal_row(p.id, p.component_id, p.space_id, p.published_at, p.hidden_at, p.amends_id))
$$;

-- The components the caller can see with the spaces they moderate, and their own proposals,
-- computed once per query rather than once per row.
create or replace function private.my_proposal_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(a.proposal_id), '{}') from public.proposal_coauthors a
  where a.user_id = (select auth.uid()) and a.status = 'accepted'
$$;
create or replace function private.amendments_restricted_component_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(c.id), '{}') from public.components c
  where c.feature = 'proposals' and not private.amendments_visible_to_all(c.id)
$$;

-- The `proposal` resource type (comments, follows): a proposal takes part for whoever may see it,
-- once published (not a draft, nor once hidden). Registered below, once the functions exist.
create or replace function private.proposal_resource_component(proposal uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.component_id from public.proposals p where p.id = proposal
    and p.published_at is not null and private.can_view_proposal(p.id)
$$;
revoke all on function private.proposal_resource_component(uuid) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Rules on write
-- ---------------------------------------------------------------------------------------------

-- The text of the body (tags out, entities as one character) for the length limit.
create or replace function private.html_text_length(html text) returns integer
language sql immutable set search_path = '' as $$
  select char_length(regexp_replace(regexp_replace(html, '<[^>]*>', '', 'g'), '&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);', '.', 'g'))
$$;

create or replace function private.proposal_component(component uuid)
returns table (space_id uuid, feature text, settings jsonb)
language sql stable security definer set search_path = '' as $$
  select c.space_id, c.feature, c.settings from public.components c where c.id = component
$$;

-- The participants' content rules (body length, a body worth publishing, geocoding), on what a
-- write changes: `prev` is the row before an edit, null for a new or newly published proposal
-- (everything is checked then). Tightening a component's settings must not lock its existing
-- proposals: hiding, withdrawing, answering or counting one touches none of these columns, and an
-- edit of the title alone is not refused for a body or an address the settings no longer allow.
create or replace function private.proposals_check_content(p public.proposals, settings jsonb, prev public.proposals) returns void
language plpgsql stable set search_path = '' as $$
declare
  max_length integer := private.int_setting(settings, 'proposal_length', 500);
  whole boolean := prev.id is null;
begin
  if (whole or p.body is distinct from prev.body) and max_length > 0 and private.html_text_length(p.body) > max_length then
    raise exception 'proposal longer than % characters', max_length using errcode = '23514', constraint = 'proposals_body_length';
  end if;
  if (whole or p.body is distinct from prev.body)
     and p.published_at is not null and char_length(btrim(regexp_replace(p.body, '<[^>]*>', '', 'g'))) < 15 then
    raise exception 'a published proposal says what it proposes' using errcode = '23514', constraint = 'proposals_body_required';
  end if;
  if (whole or (p.address, p.latitude, p.longitude) is distinct from (prev.address, prev.latitude, prev.longitude))
     and (p.latitude is not null or p.address is not null) and not private.bool_setting(settings, 'geocoding_enabled', true) then
    raise exception 'proposals are not geolocated here' using errcode = '23514', constraint = 'proposals_geocoding';
  end if;
end $$;

-- The rules of editing a proposal's text, for its authors' edits and for accepting an amendment
-- (which rewrites the amended proposal): never once withdrawn; once published, not after the
-- organization has answered it (the answer was given to that text) nor, with a limited edit
-- time, after the window (official proposals are the organization's own: no window).
create or replace function private.check_proposal_editable(p public.proposals, settings jsonb) returns void
language plpgsql stable set search_path = '' as $$
declare
  edit_minutes integer;
begin
  if p.withdrawn_at is not null then
    raise exception 'a withdrawn proposal stays withdrawn' using errcode = '23514', constraint = 'proposals_withdrawn';
  end if;
  if p.published_at is null then
    return;
  end if;
  if p.state_id is not null or p.answered_at is not null then
    raise exception 'an answered proposal is no longer edited' using errcode = '23514', constraint = 'proposals_edit_window';
  end if;
  if coalesce(settings ->> 'proposal_edit_time', 'limited') = 'limited' and not p.official then
    edit_minutes := private.int_setting(settings, 'edit_time_minutes', 5);
    if now() > p.published_at + make_interval(mins => edit_minutes) then
      raise exception 'proposals are edited within % minutes of publication', edit_minutes
        using errcode = '23514', constraint = 'proposals_edit_window';
    end if;
  end if;
end $$;

-- How many published, not withdrawn proposals the current user authors in a component (the
-- per-participant limit), serialised per person by an advisory lock.
create or replace function private.check_proposal_limit(component uuid, settings jsonb, proposal uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  lim integer := private.int_setting(settings, 'proposal_limit', 0);
  n integer;
begin
  if lim = 0 or (select auth.uid()) is null then
    return;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('proposal_limit:' || component::text || ':' || (select auth.uid())::text, 0));
  select count(*) into n from public.proposals p
  join public.proposal_coauthors a on a.proposal_id = p.id and a.user_id = (select auth.uid()) and a.status = 'accepted'
  where p.component_id = component and p.published_at is not null and p.withdrawn_at is null
    and p.amends_id is null and p.id <> proposal;
  if n >= lim then
    raise exception 'at most % proposals per participant', lim using errcode = '23514', constraint = 'proposals_limit';
  end if;
end $$;

create or replace function private.proposals_before_insert() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
  amended record;
begin
  select * into comp from private.proposal_component(new.component_id);
  if comp.feature is distinct from 'proposals' then
    raise exception 'a proposal belongs to a proposals component' using errcode = '23514', constraint = 'proposals_component_feature';
  end if;
  new.space_id := comp.space_id;
  if private.is_api_role() then
    -- Counters, answers and moderation are never chosen by the author.
    new.supports_count := 0; new.pending_supports := 0; new.likes_count := 0; new.comments_count := 0;
    new.follows_count := 0; new.authors_count := 0; new.reports_count := 0;
    new.state_id := null; new.answer := '{}'; new.answered_at := null; new.cost := null;
    new.cost_report := '{}'; new.execution_period := '{}';
    new.withdrawn_at := null; new.hidden_at := null; new.edited_at := null; new.origin_ids := '{}';
    new.created_at := now(); new.updated_at := now();
    if new.official then
      -- Official proposals: the organization's, written by a space admin where enabled.
      if not private.has_space_role(new.space_id, 'admin') or not private.bool_setting(comp.settings, 'official_proposals_enabled', true) then
        raise exception 'only admins publish official proposals, where enabled' using errcode = '42501';
      end if;
      new.author_id := null;
    else
      new.author_id := (select auth.uid());
    end if;
    if new.amends_id is not null then
      select p.component_id, p.amends_id, p.published_at, p.withdrawn_at into amended
      from public.proposals p where p.id = new.amends_id and private.proposal_is_open(p.id);
      if not found or amended.component_id <> new.component_id or amended.amends_id is not null then
        raise exception 'an amendment amends an open proposal of the same component' using errcode = '23514', constraint = 'proposals_amends';
      end if;
      -- Its authors edit their proposal within the rules of editing; amending it and accepting
      -- their own amendment would rewrite it after the edit window, its supports still attached.
      if private.is_proposal_author(new.amends_id) then
        raise exception 'authors edit their proposal, they do not amend it' using errcode = '23514', constraint = 'proposals_amend_own';
      end if;
      if not private.component_allows(new.component_id, 'amend') then
        raise exception 'amendments are closed' using errcode = '42501';
      end if;
      new.amendment_state := 'evaluating';
    else
      new.amendment_state := null;
      if not new.official and not private.component_allows(new.component_id, 'create') then
        raise exception 'proposals are closed' using errcode = '42501';
      end if;
    end if;
    if new.published_at is not null then
      new.published_at := now();
      if not new.official and new.amends_id is null then
        perform private.check_proposal_limit(new.component_id, comp.settings, new.id);
      end if;
    end if;
    -- Limits are the participants' rules; the admins' own functions (merge, split, import) are
    -- trusted to pass what they copied.
    perform private.proposals_check_content(new, comp.settings, null);
  end if;
  return new;
end $$;
create trigger proposals_before_insert before insert on public.proposals
  for each row execute function private.proposals_before_insert();

-- What a version of a proposal holds (core versions): its text, category and address.
create or replace function private.proposal_version_data(p public.proposals) returns jsonb
language sql immutable set search_path = '' as $$
  select jsonb_build_object('title', p.title, 'body', p.body, 'taxonomy_id', p.taxonomy_id, 'address', p.address)
$$;

-- The creator is the first author (and follows what they proposed); a first version is kept.
create or replace function private.proposals_after_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.author_id is not null then
    insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
    values (new.id, new.author_id, 'accepted', new.author_id, now())
    -- A copy (import) may have written its authors in the same statement already.
    on conflict (proposal_id, user_id) do nothing;
    insert into public.follows (resource_type, resource_id, user_id) values ('proposal', new.id, new.author_id)
    on conflict do nothing;
  end if;
  insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
  values ('proposal', new.id, new.component_id, new.space_id, 1, private.proposal_version_data(new), new.author_id);
  return null;
end $$;
create trigger proposals_after_insert after insert on public.proposals
  for each row execute function private.proposals_after_insert();

-- Who may change what. Authors: the content within the edit window (before any answer), publish
-- a draft, withdraw. Moderators: hide and unhide. Admins: official proposals' content. Counters
-- and published answers come from the security definer functions below. The content rules of
-- the settings in force apply to content edits and publication only (not to hiding, withdrawing,
-- answering or counting: tightening the settings must not lock existing proposals).
create or replace function private.proposals_before_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  comp record;
  content_changed boolean;
begin
  if not private.is_api_role() then
    if (new.title, new.body, new.taxonomy_id, new.address) is distinct from (old.title, old.body, old.taxonomy_id, old.address) then
      new.edited_at := now();
    end if;
    -- A support (or its withdrawal) moves only counters that may be hidden: `updated_at` is public,
    -- and moving it at every support would tell, while the phase hides them, each support as it
    -- comes. Any other change moves it.
    new.updated_at := now();
    if (new.supports_count, new.pending_supports) is distinct from (old.supports_count, old.pending_supports) then
      if to_jsonb(new) - '{supports_count,pending_supports,updated_at}'::text[]
         = to_jsonb(old) - '{supports_count,pending_supports,updated_at}'::text[] then
        new.updated_at := old.updated_at;
      end if;
    end if;
    return new;
  end if;
  if (new.id, new.number, new.component_id, new.space_id, new.author_id, new.official, new.state_id, new.answer, new.answered_at,
      new.cost, new.cost_report, new.execution_period, new.amends_id, new.amendment_state, new.origin_ids,
      new.supports_count, new.pending_supports, new.likes_count, new.comments_count, new.follows_count, new.authors_count,
      new.reports_count, new.created_at, new.edited_at)
     is distinct from
     (old.id, old.number, old.component_id, old.space_id, old.author_id, old.official, old.state_id, old.answer, old.answered_at,
      old.cost, old.cost_report, old.execution_period, old.amends_id, old.amendment_state, old.origin_ids,
      old.supports_count, old.pending_supports, old.likes_count, old.comments_count, old.follows_count, old.authors_count,
      old.reports_count, old.created_at, old.edited_at) then
    raise exception 'these columns are not editable' using errcode = '42501';
  end if;
  select * into comp from private.proposal_component(old.component_id);
  content_changed := (new.title, new.body, new.taxonomy_id, new.address, new.latitude, new.longitude)
    is distinct from (old.title, old.body, old.taxonomy_id, old.address, old.latitude, old.longitude);
  if content_changed or new.published_at is distinct from old.published_at or new.withdrawn_at is distinct from old.withdrawn_at then
    if not (private.is_proposal_author(old.id) or (old.official and private.has_space_role(old.space_id, 'admin'))) then
      raise exception 'only the authors change a proposal' using errcode = '42501';
    end if;
    if old.withdrawn_at is not null then
      raise exception 'a withdrawn proposal stays withdrawn' using errcode = '23514', constraint = 'proposals_withdrawn';
    end if;
  end if;
  if new.published_at is distinct from old.published_at then
    if old.published_at is not null then
      raise exception 'a published proposal stays published' using errcode = '23514', constraint = 'proposals_published';
    end if;
    new.published_at := now();
    if not old.official and old.amends_id is null then
      if not private.component_allows(old.component_id, 'create') then
        raise exception 'proposals are closed' using errcode = '42501';
      end if;
      perform private.check_proposal_limit(old.component_id, comp.settings, old.id);
    end if;
  end if;
  if content_changed then
    perform private.check_proposal_editable(old, comp.settings);
    if old.published_at is not null then
      new.edited_at := now();
    end if;
  end if;
  if new.withdrawn_at is distinct from old.withdrawn_at then
    if old.published_at is null then
      raise exception 'a draft is deleted, not withdrawn' using errcode = '23514', constraint = 'proposals_withdrawn';
    end if;
    new.withdrawn_at := now();
    -- A withdrawn amendment is no longer waiting for the authors' answer.
    if old.amends_id is not null and old.amendment_state = 'evaluating' then
      new.amendment_state := 'withdrawn';
    end if;
  end if;
  if new.hidden_at is distinct from old.hidden_at then
    if not private.has_space_role(old.space_id, 'moderator') then
      raise exception 'only moderators hide proposals' using errcode = '42501';
    end if;
    new.hidden_at := case when new.hidden_at is null then null else now() end;
  end if;
  if new.published_at is distinct from old.published_at then
    -- Published: the whole text meets the rules in force now.
    perform private.proposals_check_content(new, comp.settings, null);
  elsif content_changed then
    perform private.proposals_check_content(new, comp.settings, old);
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger proposals_before_update before update on public.proposals
  for each row execute function private.proposals_before_update();

-- Every change of the text is a new version (the proposal page shows them with diffs).
create or replace function private.proposals_keep_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (new.title, new.body, new.taxonomy_id, new.address) is distinct from (old.title, old.body, old.taxonomy_id, old.address) then
    insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
    values ('proposal', new.id, new.component_id, new.space_id,
            coalesce((select max(v.version) from public.versions v where v.resource_type = 'proposal' and v.resource_id = new.id), 0) + 1,
            private.proposal_version_data(new), (select auth.uid()));
  end if;
  return null;
end $$;
create trigger proposals_keep_version after update of title, body, taxonomy_id, address on public.proposals
  for each row execute function private.proposals_keep_version();

-- Drafts only: a published proposal is withdrawn, not deleted (admins delete through cascades).
create or replace function private.proposals_before_delete() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.is_api_role() and old.published_at is not null and not private.has_space_role(old.space_id, 'admin') then
    raise exception 'a published proposal is withdrawn, not deleted' using errcode = '23514', constraint = 'proposals_published';
  end if;
  return old;
end $$;
create trigger proposals_before_delete before delete on public.proposals
  for each row execute function private.proposals_before_delete();

-- ---------------------------------------------------------------------------------------------
-- Co-authors
-- ---------------------------------------------------------------------------------------------

-- Would `person`, as an author of `proposal`, amend their own proposal? Either `proposal` is an
-- emendation of one they author, or they author an emendation of `proposal` still waiting for an
-- answer (they would answer their own amendment).
create or replace function private.amends_own_proposal(proposal uuid, person uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
      select 1 from public.proposals e
      join public.proposal_coauthors a on a.proposal_id = e.amends_id and a.user_id = person and a.status = 'accepted'
      where e.id = proposal)
    or exists (
      select 1 from public.proposals e
      join public.proposal_coauthors a on a.proposal_id = e.id and a.user_id = person and a.status = 'accepted'
      where e.amends_id = proposal and e.amendment_state = 'evaluating')
$$;
-- (Asked by the co-authors trigger, which runs as the writer; it tells only who authors what,
-- which the co-authors policy already shows.)
revoke all on function private.amends_own_proposal(uuid, uuid) from public;
grant execute on function private.amends_own_proposal(uuid, uuid) to anon, authenticated, service_role;

create or replace function private.proposal_coauthors_before_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not private.is_api_role() then
    return coalesce(new, old);
  end if;
  if tg_op = 'INSERT' then
    -- Authors invite; the invitation waits for the invitee.
    if not private.is_proposal_author(new.proposal_id) then
      raise exception 'only authors invite co-authors' using errcode = '42501';
    end if;
    if private.amends_own_proposal(new.proposal_id, new.user_id) then
      raise exception 'authors edit their proposal, they do not amend it' using errcode = '23514', constraint = 'proposals_amend_own';
    end if;
    new.status := 'invited';
    new.invited_by := (select auth.uid());
    new.accepted_at := null;
    new.created_at := now();
    return new;
  elsif tg_op = 'UPDATE' then
    if (new.proposal_id, new.user_id, new.invited_by, new.created_at) is distinct from (old.proposal_id, old.user_id, old.invited_by, old.created_at)
       or old.user_id <> (select auth.uid()) or old.status <> 'invited' or new.status <> 'accepted' then
      raise exception 'the invitee accepts their invitation' using errcode = '42501';
    end if;
    -- (They may have become an author of the other side since they were invited.)
    if private.amends_own_proposal(new.proposal_id, new.user_id) then
      raise exception 'authors edit their proposal, they do not amend it' using errcode = '23514', constraint = 'proposals_amend_own';
    end if;
    new.accepted_at := now();
    return new;
  else
    -- The invitee declines, an author withdraws an invitation or a co-author leaves; the last
    -- author never leaves a proposal authorless (two leaving at once: one after the other, the
    -- second counting after the first has gone).
    if old.status = 'accepted' then
      perform pg_advisory_xact_lock(hashtextextended('proposal_authors:' || old.proposal_id::text, 0));
    end if;
    if old.status = 'accepted' and (select count(*) from public.proposal_coauthors a
                                    where a.proposal_id = old.proposal_id and a.status = 'accepted') <= 1 then
      raise exception 'a proposal keeps at least one author' using errcode = '23514', constraint = 'proposal_coauthors_last';
    end if;
    return old;
  end if;
end $$;
create trigger proposal_coauthors_before_write before insert or update or delete on public.proposal_coauthors
  for each row execute function private.proposal_coauthors_before_write();

create or replace function private.proposal_coauthors_after_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  pid uuid := coalesce(new.proposal_id, old.proposal_id);
begin
  update public.proposals set authors_count = (
    select count(*) from public.proposal_coauthors a where a.proposal_id = pid and a.status = 'accepted')
  where id = pid;
  if tg_op = 'INSERT' and new.status = 'invited' then
    insert into public.notifications (user_id, kind, resource_type, resource_id, data)
    values (new.user_id, 'proposals.coauthor_invited', 'proposal', new.proposal_id, jsonb_build_object('invited_by', new.invited_by));
  end if;
  if tg_op = 'UPDATE' and new.status = 'accepted' then
    insert into public.follows (resource_type, resource_id, user_id) values ('proposal', new.proposal_id, new.user_id)
    on conflict do nothing;
  end if;
  return null;
end $$;
create trigger proposal_coauthors_after_write after insert or update or delete on public.proposal_coauthors
  for each row execute function private.proposal_coauthors_after_write();

-- ---------------------------------------------------------------------------------------------
-- Likes, follows, reports, comments: counters
-- ---------------------------------------------------------------------------------------------

-- Likes, follows and comments are counted by the core and the comments feature in the proposal's
-- likes_count, follows_count and comments_count (the registration's `counted_in`); reports by the
-- callback that follows.

-- Reports are the core's (public.reports): it counts them and says when the third one must hide
-- the proposal pending review (once: after a moderator unhides it, later reports no longer hide
-- it on their own); the proposal keeps its own count for lists and the moderation page.
create or replace function private.proposal_reported(proposal uuid, reports integer, hide boolean) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  hid boolean;
begin
  update public.proposals
  set reports_count = reports,
      hidden_at = case when hide and hidden_at is null then now() else hidden_at end
  where id = proposal
  returning hidden_at is not null into hid;
  return coalesce(hid, false);
end $$;
revoke all on function private.proposal_reported(uuid, integer, boolean) from public, anon, authenticated;


-- ---------------------------------------------------------------------------------------------
-- Geography without PostGIS
-- ---------------------------------------------------------------------------------------------

-- Great-circle distance in metres (haversine, mean Earth radius).
create or replace function public.geo_distance_m(lat1 double precision, lng1 double precision, lat2 double precision, lng2 double precision)
returns double precision
language sql immutable parallel safe set search_path = '' as $$
  select 2 * 6371008.8 * asin(least(1, sqrt(
    power(sin(radians(lat2 - lat1) / 2), 2)
    + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lng2 - lng1) / 2), 2))))
$$;

-- Is a point within a box? West greater than east means the box crosses the antimeridian.
create or replace function public.geo_in_box(lat double precision, lng double precision,
  south double precision, west double precision, north double precision, east double precision) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select lat between south and north and (case when west <= east then lng between west and east else lng >= west or lng <= east end)
$$;

-- The box around a point that holds every point within `radius` metres (the index prefilter of
-- a "near" query; the exact distance is checked after).
create or replace function public.geo_box_around(lat double precision, lng double precision, radius double precision,
  out south double precision, out west double precision, out north double precision, out east double precision)
language plpgsql immutable parallel safe set search_path = '' as $$
declare
  dlat double precision := degrees(radius / 6371008.8);
  dlng double precision;
begin
  south := greatest(-90, lat - dlat);
  north := least(90, lat + dlat);
  if north >= 90 or south <= -90 or cos(radians(lat)) < 1e-9 then
    west := -180; east := 180;
  else
    dlng := degrees(asin(least(1, sin(radius / 6371008.8) / cos(radians(lat)))));
    if dlng >= 180 then
      west := -180; east := 180;
    else
      west := lng - dlng; east := lng + dlng;
      if west < -180 then west := west + 360; end if;
      if east > 180 then east := east - 360; end if;
    end if;
  end if;
end $$;

-- ---------------------------------------------------------------------------------------------
-- Live: broadcasts on a private channel per component (counts, states, new and hidden ones)
-- ---------------------------------------------------------------------------------------------

create or replace function private.proposals_topic(component uuid) returns text
language sql immutable set search_path = '' as $$
  select 'proposals:' || component::text
$$;

-- What changed and the public counters; never text (drafts, emendations restricted to their
-- authors and hidden proposals are fetched by the page as the viewer, who may not see them), and
-- nothing about supports while the phase hides them.
create or replace function private.proposals_broadcast() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  changes text[] := '{}';
  settings jsonb;
  hide_votes boolean;
begin
  if tg_op = 'INSERT' then
    if new.published_at is null then return null; end if;
    changes := array['created'];
  else
    if new.published_at is distinct from old.published_at then changes := array_append(changes, 'created'); end if;
    if old.published_at is null and new.published_at is null then return null; end if;
    if (new.supports_count) is distinct from (old.supports_count) then changes := array_append(changes, 'supports'); end if;
    if new.likes_count is distinct from old.likes_count then changes := array_append(changes, 'likes'); end if;
    if new.comments_count is distinct from old.comments_count then changes := array_append(changes, 'comments'); end if;
    if new.follows_count is distinct from old.follows_count then changes := array_append(changes, 'follows'); end if;
    if (new.state_id, new.answer, new.answered_at) is distinct from (old.state_id, old.answer, old.answered_at) then
      changes := array_append(changes, 'answer');
    end if;
    if new.hidden_at is distinct from old.hidden_at then
      changes := array_append(changes, case when new.hidden_at is null then 'unhidden' else 'hidden' end);
    end if;
    if new.withdrawn_at is distinct from old.withdrawn_at then changes := array_append(changes, 'withdrawn'); end if;
    if (new.title, new.body, new.latitude, new.longitude, new.taxonomy_id) is distinct from
       (old.title, old.body, old.latitude, old.longitude, old.taxonomy_id) then
      changes := array_append(changes, 'edited');
    end if;
    if new.amendment_state is distinct from old.amendment_state then changes := array_append(changes, 'amendment'); end if;
  end if;
  if cardinality(changes) = 0 then
    return null;
  end if;
  -- A hidden proposal is announced once (hidden); its later counts are nobody's business.
  if tg_op = 'UPDATE' and new.hidden_at is not null and old.hidden_at is not null then
    return null;
  end if;
  -- An emendation restricted to its authors is not announced on the component's topic (everyone
  -- who sees the component listens there: its id, the amended one and its counts would show).
  settings := private.active_phase_settings(new.component_id);
  if new.amends_id is not null and settings ->> 'amendments_visibility' = 'participants' then
    return null;
  end if;
  hide_votes := private.bool_setting(settings, 'votes_hidden');
  -- While the phase hides supports, a support is not announced at all: neither the count nor the
  -- fact that it changed (counting the messages would rebuild the tally).
  if hide_votes then
    changes := array_remove(changes, 'supports');
    if cardinality(changes) = 0 then
      return null;
    end if;
  end if;
  perform realtime.send(
    jsonb_strip_nulls(jsonb_build_object(
      'proposal_id', new.id,
      'amends_id', new.amends_id,
      'changes', to_jsonb(changes),
      'supports', case when hide_votes then null else new.supports_count end,
      'likes', new.likes_count,
      'comments', new.comments_count,
      'follows', new.follows_count,
      'updated_at', new.updated_at)),
    'proposal', private.proposals_topic(new.component_id), true);
  return null;
end $$;
create trigger proposals_broadcast after insert or update on public.proposals
  for each row execute function private.proposals_broadcast();

create or replace function private.can_view_proposals_topic(topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select private.can_view_component(parts[1]::uuid)
    from (select regexp_match(topic, '^proposals:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') as parts) t
    where parts is not null
  ), false)
$$;

create policy "proposals topics for whoever sees the component" on realtime.messages for select to anon, authenticated
  using ((select realtime.topic()) like 'proposals:%' and (select private.can_view_proposals_topic(realtime.topic())));

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

alter table public.proposal_states enable row level security;
create policy "states of visible components" on public.proposal_states for select to anon, authenticated
  using ((select private.can_view_component(component_id)));
create policy "space admins define states" on public.proposal_states for all to authenticated
  using ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')))
  with check ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')));
revoke insert, update, delete on public.proposal_states from anon;
revoke update on public.proposal_states from authenticated;
grant update (token, name, color, announcement, weight) on public.proposal_states to authenticated;

alter table public.proposals enable row level security;
create policy "visible proposals" on public.proposals for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and (
      -- Moderators see hidden proposals; drafts are their authors' only.
      (published_at is not null and space_id = any ((select private.moderated_space_ids())::uuid[]))
      or id = any ((select private.my_proposal_ids())::uuid[])
      -- A draft being inserted (`returning id`): its creator is made an author only after the row.
      or (published_at is null and author_id = (select auth.uid()))
      or (published_at is not null and hidden_at is null
          and (amends_id is null or not component_id = any ((select private.amendments_restricted_component_ids())::uuid[])
               -- Emendations of one's own proposals, whatever their visibility: the authors answer them.
               or amends_id = any ((select private.my_proposal_ids())::uuid[])))));
create policy "participants propose where creation is open; admins write official ones" on public.proposals for insert to authenticated
  with check (component_id = any ((select private.visible_component_ids())::uuid[])
    and ((not official and author_id = (select auth.uid())) or (official and (select private.has_space_role(space_id, 'admin')))));
create policy "authors, moderators and admins update proposals" on public.proposals for update to authenticated
  using ((select private.can_view_proposal_row(id, component_id, space_id, published_at, hidden_at, amends_id))
    and ((select private.is_proposal_author(id)) or (select private.has_space_role(space_id, 'moderator'))))
  with check ((select private.is_proposal_author(id)) or (select private.has_space_role(space_id, 'moderator')));
create policy "authors delete drafts; admins delete proposals" on public.proposals for delete to authenticated
  using ((published_at is null and (select private.is_proposal_author(id))) or (select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.proposals from anon;
revoke insert, update on public.proposals from authenticated;
grant insert (component_id, official, title, body, taxonomy_id, address, latitude, longitude, published_at, amends_id) on public.proposals to authenticated;
grant update (title, body, taxonomy_id, address, latitude, longitude, published_at, withdrawn_at, hidden_at) on public.proposals to authenticated;

-- Support counts. A phase may hide them ("votes_hidden"), and hidden means hidden on every path a
-- Supabase project exposes: PostgREST reads any column a role may select, whatever the page
-- shows. So the API roles select every column but the two counts of supports (`select=*` is
-- refused on this table: name the columns), and read the counts through the functions below,
-- which answer for the proposals the caller sees, in the components whose counts are shown to
-- them. The live broadcasts say nothing of supports while they are hidden (`proposals_broadcast`).
revoke select on public.proposals from anon, authenticated;
grant select (id, number, component_id, space_id, author_id, official, title, body, taxonomy_id, address, latitude, longitude,
  published_at, withdrawn_at, hidden_at, state_id, answer, answered_at, cost, cost_report, execution_period, amends_id,
  amendment_state, origin_ids, likes_count, comments_count, follows_count, authors_count, reports_count, created_at, updated_at,
  edited_at) on public.proposals to anon, authenticated;

alter table public.proposal_coauthors enable row level security;
create policy "authors of visible proposals; invitations to the invitee and the authors" on public.proposal_coauthors for select to anon, authenticated
  using ((status = 'accepted' and (select private.can_view_proposal(proposal_id)))
    or user_id = (select auth.uid()) or (select private.is_proposal_author(proposal_id)));
create policy "authors invite" on public.proposal_coauthors for insert to authenticated
  with check ((select private.is_proposal_author(proposal_id)));
create policy "invitees accept" on public.proposal_coauthors for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "invitees decline, authors withdraw invitations, co-authors leave" on public.proposal_coauthors for delete to authenticated
  using (user_id = (select auth.uid()) or (status = 'invited' and (select private.is_proposal_author(proposal_id))));
revoke insert, update, delete on public.proposal_coauthors from anon;
revoke insert, update on public.proposal_coauthors from authenticated;
grant insert (proposal_id, user_id) on public.proposal_coauthors to authenticated;
grant update (status) on public.proposal_coauthors to authenticated;


-- Comments are read per component (the comments feature's policy); a proposal's thread is read
-- where the proposal is: not once it is hidden (but by moderators), nor an emendation restricted
-- to its authors. The proposals the caller cannot see among those (few: hidden ones, restricted
-- emendations; drafts have no thread), computed once per query.
create index proposals_hidden_idx on public.proposals (id) where hidden_at is not null;
create or replace function private.unviewable_proposal_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(p.id), '{}') from public.proposals p
  where (p.hidden_at is not null
         or (p.amends_id is not null and p.component_id = any ((select private.amendments_restricted_component_ids())::uuid[])))
    and not private.can_view_proposal_row(p.id, p.component_id, p.space_id, p.published_at, p.hidden_at, p.amends_id)
$$;
grant execute on function private.unviewable_proposal_ids() to anon, authenticated, service_role;
insert into public.resource_types (resource_type, feature, capabilities, component_of, unviewable, is_open, reported, can_view, counted_in)
values ('proposal', 'proposals', '{commentable,likeable,followable,reportable,versioned}', 'private.proposal_resource_component(uuid)',
        'private.unviewable_proposal_ids()', 'private.proposal_is_open(uuid)', 'private.proposal_reported(uuid, integer, boolean)',
        'private.can_view_proposal(uuid)', 'public.proposals');
-- Every hide and unhide is recorded by the core.
create trigger proposals_record_moderation after update of hidden_at on public.proposals
  for each row execute function private.record_moderation('proposal');
-- Likes and follows of a deleted proposal go with it.
create trigger proposals_forget after delete on public.proposals
  for each row execute function private.forget_resource('proposal');

create trigger proposal_states_log after insert or update or delete on public.proposal_states
  for each row execute function private.log_admin_change();
grant execute on function
  private.int_setting(jsonb, text, integer), private.bool_setting(jsonb, text, boolean),
  private.is_proposal_author(uuid),
  private.votes_hidden(uuid), private.amendments_visible_to_all(uuid),
  private.can_view_proposal_row(uuid, uuid, uuid, timestamptz, timestamptz, uuid), private.can_view_proposal(uuid),
  private.proposal_is_open(uuid), private.my_proposal_ids(), private.amendments_restricted_component_ids(),
  private.html_text_length(text), private.proposal_component(uuid), private.proposals_check_content(public.proposals, jsonb, public.proposals),
  private.check_proposal_editable(public.proposals, jsonb),
  private.check_proposal_limit(uuid, jsonb, uuid), private.proposals_topic(uuid), private.can_view_proposals_topic(text)
  to anon, authenticated, service_role;
