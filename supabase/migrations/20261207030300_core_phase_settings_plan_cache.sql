-- The active phase's settings of a component in PL/pgSQL (see …_core_plan_cache.sql: a
-- security-definer SQL function is planned again on every call). Every rule that depends on the
-- phase asks it, once per component: whether supports are shown asks it of every proposals
-- component on each list page (0.2–0.4 ms each before). Same body, same answers.
create or replace function private.active_phase_settings(component uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(
      c.phase_settings -> (select p.id::text from public.phases p where p.space_id = c.space_id and p.active),
      c.phase_settings -> 'default',
      '{}'::jsonb)
    from public.components c
    where c.id = component
  );
end $$;
