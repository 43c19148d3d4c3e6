-- Visibility of an event's resource, for a resource type that registers no `can_view`: its
-- `component_of` must name a component the person may see (published, in a space they may see),
-- not merely exist — some types' `component_of` answers for any id of theirs (a survey is its
-- component) and leave that check to the caller. Events carry their component too, but a
-- feature that raises one without it must still tell nobody about what they may not see.

create or replace function private.resource_viewable(resource_type text, resource_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  t record;
  ok boolean;
  component uuid;
begin
  select r.can_view::oid::regproc as can_view, r.component_of::oid::regproc as component_of into t
  from public.resource_types r where r.resource_type = resource_viewable.resource_type;
  if not found then
    return false;
  end if;
  if t.can_view is not null then
    execute format('select %s($1)', t.can_view) into ok using resource_id;
  else
    execute format('select %s($1)', t.component_of) into component using resource_id;
    ok := component is not null and private.can_view_component(component);
  end if;
  return coalesce(ok, false);
end $$;
revoke all on function private.resource_viewable(text, uuid) from public, anon, authenticated;
