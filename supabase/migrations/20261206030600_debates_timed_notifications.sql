-- Timed debates (Decidim's "AMA") told to their followers when they start and when they end: the
-- `debates.announce-times` job (every minute) raises each edge once — the notice row and the event
-- are written in one statement, whoever runs it, however often. Only edges of the last day: a
-- debate whose dates passed while no worker ran is not news a week later. Not for hidden or
-- withdrawn debates.

insert into public.notification_kinds (kind, feature, default_email) values
  ('debates.started', 'debates', null),
  ('debates.ended', 'debates', null);

-- In the private schema: the workers' bookkeeping, never reachable through the API.
create table private.debate_time_notices (
  debate_id uuid not null references public.debates (id) on delete cascade,
  edge text not null,
  -- The moment announced (a changed date is a new edge).
  at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (debate_id, edge, at),
  constraint debate_time_notices_edge check (edge in ('started', 'ended'))
);
alter table private.debate_time_notices enable row level security;
revoke all on private.debate_time_notices from public, anon, authenticated;

create or replace function private.debates_announce_times(max integer default 1000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  raised integer;
begin
  with due as (
    select d.id, d.component_id, d.space_id, e.edge, e.at
    from public.debates d
    cross join lateral (values ('started', d.starts_at), ('ended', d.ends_at)) as e (edge, at)
    where d.starts_at is not null and d.hidden_at is null and d.withdrawn_at is null
      and e.at <= now() and e.at > now() - interval '1 day'
      and not exists (select 1 from private.debate_time_notices n where n.debate_id = d.id and n.edge = e.edge and n.at = e.at)
    order by e.at
    limit max
  ),
  noted as (
    insert into private.debate_time_notices (debate_id, edge, at)
    select due.id, due.edge, due.at from due
    on conflict do nothing
    returning debate_id, edge
  )
  select count(private.raise_notification(
           kind => 'debates.' || n.edge, resource_type => 'debate', resource_id => n.debate_id, component_id => d.component_id,
           space_id => d.space_id, audiences => array['followers']))
  into raised
  from noted n join public.debates d on d.id = n.debate_id;
  return raised;
end $$;
revoke all on function private.debates_announce_times(integer) from public, anon, authenticated;
grant execute on function private.debates_announce_times(integer) to service_role;
