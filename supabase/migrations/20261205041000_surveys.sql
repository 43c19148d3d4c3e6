-- The `surveys` feature (Decidim's decidim-surveys): one questionnaire per component, built on the
-- forms library (…040000_forms.sql), whose rules this feature answers for its own questionnaires:
-- who sees and manages them, when answers are taken (the active phase's `allow_answers`, the
-- survey's dates), from whom (signed-in people, or visitors too, one per browser), anonymous or
-- not, and whether terms must be accepted first.

-- Registration: the feature and the action its per-phase settings gate (the manifest declares the same).
insert into public.component_features (feature) values ('surveys') on conflict do nothing;
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting)
values ('surveys', 'answer', null, 'allow_answers', null)
on conflict (feature, action) do update
  set global_enabled_setting = excluded.global_enabled_setting,
      phase_enabled_setting = excluded.phase_enabled_setting,
      phase_blocked_setting = excluded.phase_blocked_setting;

-- One survey per surveys component: its answering window (within the phases that allow answers).
create table public.surveys (
  component_id uuid primary key references public.components (id) on delete cascade,
  starts_at timestamptz,
  ends_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint surveys_dates check (starts_at is null or ends_at is null or ends_at > starts_at)
);
create trigger surveys_touch before update on public.surveys
  for each row execute function private.touch_updated_at();
alter table public.surveys enable row level security;

-- Only components of the `surveys` feature have a survey.
create or replace function private.surveys_component_is_survey() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not exists (select 1 from public.components c where c.id = new.component_id and c.feature = 'surveys') then
    raise exception 'a survey belongs to a surveys component' using errcode = '23514', constraint = 'surveys_component_feature';
  end if;
  return new;
end $$;
create trigger surveys_component_is_survey before insert or update of component_id on public.surveys
  for each row execute function private.surveys_component_is_survey();

-- Grants and policies: whoever sees the component sees its survey; the space's admins edit it.
revoke insert, update, delete on public.surveys from anon;
revoke insert, update, delete on public.surveys from authenticated;
grant update (starts_at, ends_at) on public.surveys to authenticated;
create policy "surveys of visible components" on public.surveys for select to anon, authenticated
  using ((select private.can_view_component(component_id)));
create policy "space admins set a survey's dates" on public.surveys for update to authenticated
  using ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')))
  with check ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')));

create trigger surveys_log after update on public.surveys
  for each row execute function private.log_admin_change();

-- The forms library's rules for a survey's questionnaire, for the caller, now (see
-- public.form_owner_types.rules). Answers are taken when the component allows the `answer`
-- action (published, visible, the active phase's `allow_answers`) within the survey's dates;
-- visitors when the phase allows unregistered answers. Verification per action is a follow-up
-- (the verification framework does not exist yet).
create or replace function private.survey_form_rules(survey uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  c record;
  ps jsonb;
  s record;
  visible boolean;
  manage boolean;
  open boolean;
  visitors boolean;
begin
  select co.space_id, co.feature into c from public.components co where co.id = survey;
  if not found or c.feature <> 'surveys' then
    return null;
  end if;
  visible := private.can_view_component(survey);
  manage := (select auth.uid()) is not null and private.has_space_role(c.space_id, 'admin');
  ps := private.active_phase_settings(survey);
  select x.starts_at, x.ends_at into s from public.surveys x where x.component_id = survey;
  open := private.component_allows(survey, 'answer')
      and (s.starts_at is null or now() >= s.starts_at)
      and (s.ends_at is null or now() < s.ends_at);
  visitors := coalesce(ps ->> 'allow_unregistered' = 'true', false);
  return jsonb_build_object(
    'view', visible or manage,
    'manage', manage,
    'open', open,
    'answer', open and visible and ((select auth.uid()) is not null or visitors),
    'visitors', visitors,
    'anonymous', coalesce(ps ->> 'anonymous' = 'true', false),
    'terms', exists (select 1 from jsonb_each_text(case when jsonb_typeof(ps -> 'terms') = 'object' then ps -> 'terms' else '{}' end) t
                     where btrim(t.value) <> ''));
end $$;
revoke all on function private.survey_form_rules(uuid) from public, anon, authenticated;

-- The same `view` and `manage`, as sets (the forms policies ask them once per query).
create or replace function private.surveys_viewable() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(c.id), '{}') from public.components c
  where c.feature = 'surveys' and private.can_view_component_row(c.space_id, c.published_at)
$$;
create or replace function private.surveys_managed() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(c.id), '{}') from public.components c
  where c.feature = 'surveys' and (select auth.uid()) is not null and private.has_space_role(c.space_id, 'admin')
$$;
revoke all on function private.surveys_viewable(), private.surveys_managed() from public, anon, authenticated;
insert into public.form_owner_types (owner_type, feature, rules, viewable, managed)
values ('survey', 'surveys', 'private.survey_form_rules(uuid)', 'private.surveys_viewable()', 'private.surveys_managed()');

-- A new surveys component comes with its survey and its (empty) questionnaire.
create or replace function private.surveys_create_survey() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.surveys (component_id) values (new.id) on conflict do nothing;
  insert into public.form_questionnaires (owner_type, owner_id, title) values ('survey', new.id, new.name) on conflict do nothing;
  return null;
end $$;
create trigger components_surveys_create after insert on public.components
  for each row when (new.feature = 'surveys') execute function private.surveys_create_survey();

-- The questionnaire goes with the survey (it has no foreign key to a feature's table).
create or replace function private.surveys_forget_questionnaire() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.form_questionnaires q where q.owner_type = 'survey' and q.owner_id = old.component_id;
  return null;
end $$;
create trigger surveys_forget_questionnaire after delete on public.surveys
  for each row execute function private.surveys_forget_questionnaire();

-- The `survey` resource type on the shared layer: a survey is its component (nothing is shared
-- yet: no comments nor likes on a survey, as in Decidim).
create or replace function private.survey_resource_component(survey uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select c.id from public.components c where c.id = survey and c.feature = 'surveys'
$$;
revoke all on function private.survey_resource_component(uuid) from public, anon, authenticated;
insert into public.resource_types (resource_type, feature, capabilities, component_of)
values ('survey', 'surveys', '{}', 'private.survey_resource_component(uuid)');
