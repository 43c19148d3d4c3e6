-- The hidden debates' list in PL/pgSQL: planned once per session, not on every call (see
-- …_core_plan_cache.sql). Same body.

create or replace function private.unviewable_debate_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(d.id), '{}') from public.debates d
      where d.hidden_at is not null and not private.has_space_role(d.space_id, 'moderator')
  );
end $$;

