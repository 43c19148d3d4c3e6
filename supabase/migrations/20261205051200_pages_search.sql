-- Pages in the one search: the component's name as the title, the page's body (HTML, indexed as
-- text) as the body; seen by whoever sees the component.
create or replace function private.page_search_document(page uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(c.id, c.space_id, c.name, coalesce(pg.body, '{}'::jsonb), '{}'::uuid[], coalesce(pg.updated_at, c.published_at))::private.search_document
  from public.components c left join public.pages pg on pg.component_id = c.id
  where c.id = page and c.feature = 'pages'
$$;
revoke all on function private.page_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.page_search_document(uuid)' where resource_type = 'page';

create trigger pages_search after insert or delete or update of body on public.pages
  for each row execute function private.search_reindex('page', 'component_id');

select private.search_reindex_type('page', array(select c.id from public.components c where c.feature = 'pages'));
