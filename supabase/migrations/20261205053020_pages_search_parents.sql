-- The search document now says where a resource lives (core_search_parents): a page lives on no
-- other resource. Same document otherwise.
create or replace function private.page_search_document(page uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(c.id, c.space_id, c.name, coalesce(pg.body, '{}'::jsonb), '{}'::uuid[], coalesce(pg.updated_at, c.published_at),
             null, null)::private.search_document
  from public.components c left join public.pages pg on pg.component_id = c.id
  where c.id = page and c.feature = 'pages'
$$;
revoke all on function private.page_search_document(uuid) from public, anon, authenticated;
