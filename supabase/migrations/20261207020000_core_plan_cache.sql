-- The visibility helpers every policy asks, in PL/pgSQL instead of SQL (profiled on the search and
-- list benchmarks): a SQL function that cannot be inlined — all of these, being security definer
-- with their own search_path — is planned again on every call, and these are called once per
-- query (policies' init plans) or nested in one another, so a visitor's list paid 1–3 ms of
-- planning per helper (visible_component_ids 1.3 ms for 19 components). PL/pgSQL keeps each
-- statement's plan for the session. Same bodies, same answers: `#variable_conflict use_column`
-- resolves a name that is both a column and a parameter as the SQL functions did (the column).

create or replace function private.is_org_admin() returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select exists (select 1 from public.organization_admins a where a.user_id = (select auth.uid()))
  );
end $$;

create or replace function private.has_space_role(space uuid, role text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select (select auth.uid()) is not null and (
        exists (select 1 from public.organization_admins a where a.user_id = (select auth.uid()))
        or exists (
          select 1 from public.space_roles r
          where r.space_id = space and r.user_id = (select auth.uid()) and (r.role = has_space_role.role or r.role = 'admin')
        ))
  );
end $$;

create or replace function private.has_any_space_role(space uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select (select auth.uid()) is not null and (
        exists (select 1 from public.organization_admins a where a.user_id = (select auth.uid()))
        or exists (select 1 from public.space_roles r where r.space_id = space and r.user_id = (select auth.uid())))
  );
end $$;

create or replace function private.can_view_space_row(space uuid, published_at timestamp with time zone, is_private boolean) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select (published_at is not null and not is_private)
        or private.has_space_role(space, 'collaborator')
        or (published_at is not null and (
          private.has_any_space_role(space)
          or exists (select 1 from public.space_members m where m.space_id = space and m.user_id = (select auth.uid()))))
  );
end $$;

create or replace function private.can_view_space(space uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select exists (
        select 1 from public.spaces s
        where s.id = space and private.can_view_space_row(s.id, s.published_at, s.private))
  );
end $$;

create or replace function private.can_view_component_row(space uuid, published_at timestamp with time zone) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select private.can_view_space(space)
        and (published_at is not null or private.has_space_role(space, 'collaborator'))
  );
end $$;

create or replace function private.can_view_component(component uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select exists (
        select 1 from public.components c
        where c.id = component and private.can_view_component_row(c.space_id, c.published_at))
  );
end $$;

create or replace function private.visible_component_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(c.id), '{}') from public.components c join public.spaces s on s.id = c.space_id
      where (c.published_at is not null and s.published_at is not null and not s.private)
         or private.can_view_component_row(c.space_id, c.published_at)
  );
end $$;

create or replace function private.visible_space_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(s.id), '{}') from public.spaces s where private.can_view_space_row(s.id, s.published_at, s.private)
  );
end $$;

create or replace function private.moderated_space_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select case
        when (select auth.uid()) is null then '{}'::uuid[]
        when private.is_org_admin() then (select coalesce(array_agg(s.id), '{}') from public.spaces s)
        else (select coalesce(array_agg(distinct r.space_id), '{}') from public.space_roles r
              where r.user_id = (select auth.uid()) and r.role in ('admin', 'moderator'))
      end
  );
end $$;

create or replace function private.component_phase_settings(component uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select private.active_phase_settings(component) where private.can_view_component(component)
  );
end $$;

create or replace function private.search_restricted_component_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select case when (select auth.uid()) is null then '{}'::uuid[]
        else (with other as materialized (
                select c.id, c.space_id, c.published_at from public.components c join public.spaces s on s.id = c.space_id
                where not (c.published_at is not null and s.published_at is not null and not s.private))
              select coalesce(array_agg(o.id), '{}') from other o where private.can_view_component_row(o.space_id, o.published_at))
             || private.search_restricted_space_ids() end
  );
end $$;

create or replace function private.search_restricted_space_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select case when (select auth.uid()) is null then '{}'::uuid[]
        else (with other as materialized (
                select s.id, s.published_at, s.private from public.spaces s where not (s.published_at is not null and not s.private))
              select coalesce(array_agg(o.id), '{}') from other o where private.can_view_space_row(o.id, o.published_at, o.private)) end
  );
end $$;

create or replace function private.search_component_public(component uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce((
        select c.published_at is not null and s.published_at is not null and not s.private
        from public.components c join public.spaces s on s.id = c.space_id where c.id = component), false)
  );
end $$;

