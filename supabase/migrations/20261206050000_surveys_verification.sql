-- Surveys' `answer` action can require a verification (the component's permissions, as budgets'
-- votes and proposals' supports): `private.component_allows` already refuses an unverified caller,
-- so answers are refused in the database on every path. The rules now also say *why*, so the page
-- offers the verification instead of calling an open survey closed: `open` is about the survey
-- (the phase and the dates, for everyone), `unverified` about the caller.
create or replace function private.survey_form_rules(survey uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  c record;
  ps jsonb;
  s record;
  visible boolean;
  manage boolean;
  state text;
  in_dates boolean;
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
  state := private.component_action_state(survey, 'answer');
  in_dates := (s.starts_at is null or now() >= s.starts_at) and (s.ends_at is null or now() < s.ends_at);
  open := state in ('allowed', 'unverified') and in_dates;
  visitors := coalesce(ps ->> 'allow_unregistered' = 'true', false);
  return jsonb_build_object(
    'view', visible or manage,
    'manage', manage,
    'open', open,
    'answer', open and state = 'allowed' and visible and ((select auth.uid()) is not null or visitors),
    'unverified', open and state = 'unverified',
    'visitors', visitors,
    'anonymous', coalesce(ps ->> 'anonymous' = 'true', false),
    'terms', exists (select 1 from jsonb_each_text(case when jsonb_typeof(ps -> 'terms') = 'object' then ps -> 'terms' else '{}' end) t
                     where btrim(t.value) <> ''));
end $$;
revoke all on function private.survey_form_rules(uuid) from public, anon, authenticated;
