-- Budget projects in the one search (core_search): title, description, category; found wherever
-- their component is seen. A project lives in a budget: the document names it as the parent (a
-- budget is never unviewable on its own, so only the address uses it).
create or replace function private.project_search_document(project uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(p.component_id, c.space_id, p.title, p.description,
             case when p.taxonomy_id is null then '{}'::uuid[] else array[p.taxonomy_id] end, p.created_at,
             'budget', p.budget_id)::private.search_document
  from public.projects p join public.components c on c.id = p.component_id
  where p.id = project
$$;
revoke all on function private.project_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.project_search_document(uuid)' where resource_type = 'project';

-- Only what the document reads: votes and selection do not touch the index.
create trigger projects_search after insert or delete or update of title, description, taxonomy_id, component_id, budget_id
  on public.projects for each row execute function private.search_reindex('project');

select private.search_reindex_type('project', array(select p.id from public.projects p));
