-- The `proposals` feature, split, merge and import (space admins): new proposals from old ones, the old ones
-- withdrawn from view; proposals copied from another component. Split from the proposals core migration by concern; the
-- core (…4000_proposals.sql) holds the proposals themselves, their visibility and their counters.

-- ---------------------------------------------------------------------------------------------
-- Split and merge (space admins): new proposals from old ones, the old ones withdrawn from view
-- ---------------------------------------------------------------------------------------------

-- Merges proposals of one component into a new official-looking proposal whose authors are all of
-- theirs; the originals are hidden behind it (Decidim removes them from the list). Returns its id.
create or replace function public.merge_proposals(ids uuid[], title text, body text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  comp uuid;
  space uuid;
  created uuid;
begin
  if cardinality(ids) < 2 then
    raise exception 'merge at least two proposals' using errcode = '23514', constraint = 'proposals_merge_count';
  end if;
  select min(p.component_id::text)::uuid, min(p.space_id::text)::uuid into comp, space from public.proposals p where p.id = any (ids);
  if (select count(distinct p.component_id) from public.proposals p where p.id = any (ids)) <> 1
     or (select count(*) from public.proposals p where p.id = any (ids) and p.published_at is not null) <> cardinality(ids) then
    -- (Drafts are their authors' only: to the admins they are not there.)
    raise exception 'merged proposals come from one component' using errcode = '23514', constraint = 'proposals_merge_component';
  end if;
  if not private.has_space_role(space, 'admin') then
    raise exception 'space admins merge proposals' using errcode = '42501';
  end if;
  insert into public.proposals (component_id, space_id, author_id, official, title, body, published_at, origin_ids)
  values (comp, space, null, true, title, body, now(), ids)
  returning id into created;
  insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
  select distinct created, a.user_id, 'accepted', (select auth.uid()), now()
  from public.proposal_coauthors a where a.proposal_id = any (ids) and a.status = 'accepted'
  on conflict do nothing;
  update public.proposals set official = (select count(*) = 0 from public.proposal_coauthors a where a.proposal_id = created)
  where id = created;
  update public.proposals set withdrawn_at = now() where id = any (ids) and withdrawn_at is null;
  return created;
end $$;

-- Splits one proposal into several (one per {title, body} in `parts`); the original is withdrawn.
create or replace function public.split_proposal(proposal uuid, parts jsonb) returns uuid[]
language plpgsql security definer set search_path = '' as $$
declare
  src record;
  part jsonb;
  created uuid;
  out_ids uuid[] := '{}';
begin
  select * into src from public.proposals p where p.id = proposal and p.published_at is not null;
  if not found or not private.has_space_role(src.space_id, 'admin') then
    raise exception 'space admins split proposals' using errcode = '42501';
  end if;
  if jsonb_typeof(parts) <> 'array' or jsonb_array_length(parts) < 2 then
    raise exception 'split into at least two proposals' using errcode = '23514', constraint = 'proposals_split_count';
  end if;
  for part in select value from jsonb_array_elements(parts) loop
    insert into public.proposals (component_id, space_id, author_id, official, title, body, taxonomy_id, address, latitude, longitude,
                                  published_at, origin_ids)
    values (src.component_id, src.space_id, null, src.official, part ->> 'title', coalesce(part ->> 'body', ''), src.taxonomy_id,
            src.address, src.latitude, src.longitude, now(), array[proposal])
    returning id into created;
    insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
    select created, a.user_id, 'accepted', (select auth.uid()), now()
    from public.proposal_coauthors a where a.proposal_id = proposal and a.status = 'accepted';
    out_ids := array_append(out_ids, created);
  end loop;
  update public.proposals set withdrawn_at = now() where id = proposal and withdrawn_at is null;
  return out_ids;
end $$;

-- Copies proposals of another proposals component (optionally only those in some states) into
-- this one; the copies remember their origin. Both components' admin role is required.
create or replace function public.import_proposals(source uuid, target uuid, state_tokens text[]) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  src record;
  dst record;
  geo boolean;
  n integer;
begin
  select c.space_id, c.feature into src from public.components c where c.id = source;
  select c.space_id, c.feature, private.bool_setting(c.settings, 'geocoding_enabled', true) as geo into dst from public.components c where c.id = target;
  if src.feature is distinct from 'proposals' or dst.feature is distinct from 'proposals' or source = target then
    raise exception 'import from another proposals component' using errcode = '23514', constraint = 'proposals_import_source';
  end if;
  if not private.has_space_role(src.space_id, 'admin') or not private.has_space_role(dst.space_id, 'admin') then
    raise exception 'admins of both spaces import proposals' using errcode = '42501';
  end if;
  geo := dst.geo;
  with copied as (
    insert into public.proposals (component_id, space_id, author_id, official, title, body, address, latitude, longitude, published_at, origin_ids)
    select target, dst.space_id, p.author_id, p.official, p.title, p.body,
           case when geo then p.address end, case when geo then p.latitude end, case when geo then p.longitude end, now(), array[p.id]
    from public.proposals p
    left join public.proposal_states s on s.id = p.state_id
    where p.component_id = source and p.published_at is not null and p.withdrawn_at is null and p.hidden_at is null
      and p.amends_id is null
      and (state_tokens is null or cardinality(state_tokens) = 0 or s.token = any (state_tokens))
      and not exists (select 1 from public.proposals d where d.component_id = target and p.id = any (d.origin_ids))
    returning id, origin_ids
  ), authors as (
    insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
    select c.id, a.user_id, 'accepted', (select auth.uid()), now()
    from copied c join public.proposal_coauthors a on a.proposal_id = c.origin_ids[1] and a.status = 'accepted'
    on conflict do nothing
  )
  select count(*) into n from copied;
  return n;
end $$;

revoke execute on function public.merge_proposals(uuid[], text, text), public.split_proposal(uuid, jsonb),
  public.import_proposals(uuid, uuid, text[]) from public, anon;
grant execute on function public.merge_proposals(uuid[], text, text), public.split_proposal(uuid, jsonb),
  public.import_proposals(uuid, uuid, text[]) to authenticated, service_role;
