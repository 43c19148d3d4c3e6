-- Pages take attachments (Decidim's page attachments and collections): the space's admins add
-- them; they are seen by whoever sees the page's component.
create or replace function private.page_can_view(page uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.components c where c.id = page and c.feature = 'pages' and private.can_view_component(c.id))
$$;
create or replace function private.page_attach_space(page uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select c.space_id from public.components c
  where c.id = page and c.feature = 'pages' and private.has_space_role(c.space_id, 'admin')
$$;
revoke all on function private.page_can_view(uuid), private.page_attach_space(uuid) from public, anon, authenticated;

update public.resource_types
set capabilities = array_append(array_remove(capabilities, 'attachable'), 'attachable'),
    can_view = 'private.page_can_view(uuid)',
    attach_space = 'private.page_attach_space(uuid)'
where resource_type = 'page';
