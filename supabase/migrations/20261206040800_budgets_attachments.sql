-- Budget projects take attachments (Decidim's project documents and photos): the space's admins
-- add them; they are seen by whoever sees the project's component.
create or replace function private.project_can_view(project uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.projects p where p.id = project and private.can_view_component(p.component_id))
$$;
create or replace function private.project_attach_space(project uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select c.space_id from public.projects p join public.components c on c.id = p.component_id
  where p.id = project and private.budgets_admin(p.component_id)
$$;
revoke all on function private.project_can_view(uuid), private.project_attach_space(uuid) from public, anon, authenticated;

update public.resource_types
set capabilities = array_append(array_remove(capabilities, 'attachable'), 'attachable'),
    can_view = coalesce(can_view, 'private.project_can_view(uuid)'),
    attach_space = 'private.project_attach_space(uuid)'
where resource_type = 'project';
