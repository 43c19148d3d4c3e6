-- A space made private (or public again) has files in the bucket its former privacy chose: a
-- private space's files must not stay readable by URL from the public bucket, and a public
-- space's files must be readable by visitors. The attachments.rebucket job moves them through the
-- Storage API (the only way to move bytes on a Supabase project); this lists what it must move.

-- Spaces whose privacy changed and whose files may be in the wrong bucket, until the job is done.
create table private.spaces_to_rebucket (
  space_id uuid primary key references public.spaces (id) on delete cascade,
  queued_at timestamptz not null default now()
);
alter table private.spaces_to_rebucket enable row level security;
revoke all on private.spaces_to_rebucket from public, anon, authenticated;
grant select, delete on private.spaces_to_rebucket to service_role;

create or replace function private.space_privacy_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.spaces_to_rebucket (space_id) values (new.id) on conflict (space_id) do update set queued_at = now();
  return null;
end $$;
create trigger spaces_privacy_changed after update of private on public.spaces
  for each row when (old.private is distinct from new.private) execute function private.space_privacy_changed();

create index attachments_space_idx on public.attachments (space_id) where space_id is not null;

-- Up to `max` files of those spaces in the wrong bucket: attachments (object and thumbnail) and
-- hero images (banner and card), with the bucket their space's privacy now says.
create or replace function private.misplaced_files(max integer) returns table (
  kind text, id uuid, space_id uuid, from_bucket text, to_bucket text, names text[])
language sql stable security definer set search_path = '' as $$
  select * from (
    select 'attachment'::text, a.id, a.space_id, a.bucket_id, private.attachment_bucket(a.space_id),
           array_remove(array[a.object_name, a.thumbnail_name], null)
    from private.spaces_to_rebucket q join public.attachments a on a.space_id = q.space_id
    where a.bucket_id <> private.attachment_bucket(a.space_id)
    union all
    select 'hero', s.id, s.id, s.hero_image ->> 'bucket', private.attachment_bucket(s.id),
           array_remove(array[s.hero_image ->> 'name', s.hero_image -> 'card' ->> 'name'], null)
    from private.spaces_to_rebucket q join public.spaces s on s.id = q.space_id
    where s.hero_image is not null and s.hero_image ->> 'bucket' <> private.attachment_bucket(s.id)
  ) f limit max
$$;
revoke all on function private.misplaced_files(integer) from public, anon, authenticated;
grant execute on function private.misplaced_files(integer) to service_role;

-- A replaced hero image leaves its card's bytes to the purge job too (not only its banner's).
create or replace function private.stored_image_replaced() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  was jsonb := nullif(to_jsonb(old) -> tg_argv[0], 'null'::jsonb);
  now_is jsonb := nullif(to_jsonb(new) -> tg_argv[0], 'null'::jsonb);
begin
  if was is not null and (now_is is null or was ->> 'name' is distinct from now_is ->> 'name') then
    insert into private.orphan_objects (bucket_id, name)
    select was ->> 'bucket', n from unnest(array[was ->> 'name', was -> 'card' ->> 'name']) n where n is not null
    on conflict do nothing;
  end if;
  return null;
end $$;
