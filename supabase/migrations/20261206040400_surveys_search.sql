-- Surveys in the one search (core_search): a survey is its component; its questionnaire's title
-- (else the component's name) and description. Found wherever the component is seen.
create or replace function private.survey_search_document(survey uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(c.id, c.space_id, case when q.title is null or q.title = '{}'::jsonb then c.name else q.title end,
             coalesce(q.description, '{}'::jsonb), '{}'::uuid[], c.published_at, null, null)::private.search_document
  from public.surveys s
  join public.components c on c.id = s.component_id
  left join public.form_questionnaires q on q.owner_type = 'survey' and q.owner_id = s.component_id
  where s.component_id = survey
$$;
revoke all on function private.survey_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.survey_search_document(uuid)' where resource_type = 'survey';

create trigger surveys_search after insert or delete on public.surveys
  for each row execute function private.search_reindex('survey', 'component_id');
-- The questionnaire's texts (other owners' questionnaires find no survey: their entry is none).
create trigger form_questionnaires_surveys_search after insert or delete or update of title, description
  on public.form_questionnaires for each row execute function private.search_reindex('survey', 'owner_id');

select private.search_reindex_type('survey', array(select s.component_id from public.surveys s));
