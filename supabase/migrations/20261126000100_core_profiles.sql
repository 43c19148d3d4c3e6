-- Participant profiles: one per auth.users row, created by a trigger on sign-up.
-- Public fields live in `profiles` (readable by everyone, editable by the owner); preferences that
-- nobody else should read live in `profile_preferences` (owner only).

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to anon, authenticated, service_role;

create or replace function private.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  nickname text not null,
  name text not null,
  locale text not null default 'fr',
  avatar_url text,
  bio text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_nickname_format check (nickname ~ '^[a-z0-9_-]{2,20}$'),
  constraint profiles_name_length check (char_length(btrim(name)) between 1 and 100),
  constraint profiles_locale_supported check (locale in ('fr', 'en')),
  constraint profiles_avatar_url_format check (avatar_url is null or (avatar_url ~ '^https?://' and char_length(avatar_url) <= 2000)),
  constraint profiles_bio_length check (char_length(bio) <= 1000)
);
create unique index profiles_nickname_key on public.profiles (nickname);

create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

alter table public.profiles enable row level security;

create policy "profiles are public" on public.profiles
  for select to anon, authenticated using (true);
create policy "owners edit their profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- Only the editable columns can be written through the API roles; rows come from the trigger.
revoke insert, update, delete on public.profiles from anon, authenticated;
grant select on public.profiles to anon, authenticated;
grant update (nickname, name, locale, avatar_url, bio) on public.profiles to authenticated;

create table public.profile_preferences (
  id uuid primary key references public.profiles (id) on delete cascade,
  -- Decidim's notification settings: which notifications reach the inbox by email, and how often.
  email_on_notification boolean not null default true,
  email_on_mention boolean not null default true,
  notifications_digest text not null default 'none',
  newsletter_opt_in_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint profile_preferences_digest check (notifications_digest in ('none', 'daily', 'weekly'))
);

create trigger profile_preferences_touch before update on public.profile_preferences
  for each row execute function private.touch_updated_at();

alter table public.profile_preferences enable row level security;

create policy "owners read their preferences" on public.profile_preferences
  for select to authenticated using (id = (select auth.uid()));
create policy "owners edit their preferences" on public.profile_preferences
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

revoke all on public.profile_preferences from anon;
revoke insert, update, delete on public.profile_preferences from authenticated;
grant select on public.profile_preferences to authenticated;
grant update (email_on_notification, email_on_mention, notifications_digest, newsletter_opt_in_at)
  on public.profile_preferences to authenticated;

-- A nickname derived from what the person gave (metadata nickname, name, or email), made unique.
-- It never fails: a sign-up must not be refused because of a nickname clash.
create or replace function private.unique_nickname(wanted text, fallback text) returns text
language plpgsql set search_path = '' as $$
declare
  base text;
  candidate text;
  n int := 0;
begin
  base := lower(coalesce(nullif(wanted, ''), fallback, 'participant'));
  base := translate(base, 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa');
  base := regexp_replace(base, '[^a-z0-9_-]+', '_', 'g');
  base := btrim(base, '_-');
  if char_length(base) < 2 then base := 'participant'; end if;
  base := left(base, 20);
  candidate := base;
  while exists (select 1 from public.profiles p where p.nickname = candidate) loop
    n := n + 1;
    candidate := left(base, 20 - char_length(n::text) - 1) || '_' || n::text;
  end loop;
  return candidate;
end $$;

create or replace function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  local_part text := split_part(coalesce(new.email, ''), '@', 1);
  wanted_name text := left(btrim(coalesce(meta ->> 'name', meta ->> 'full_name', '')), 100);
  nick text;
begin
  nick := private.unique_nickname(meta ->> 'nickname', coalesce(nullif(local_part, ''), 'participant'));
  loop
    begin
      insert into public.profiles (id, nickname, name, locale)
      values (
        new.id,
        nick,
        coalesce(nullif(wanted_name, ''), nullif(local_part, ''), 'Participant'),
        case when meta ->> 'locale' in ('fr', 'en') then meta ->> 'locale' else 'fr' end
      );
      exit;
    exception when unique_violation then
      -- Two sign-ups raced for the same nickname: the loser takes a random suffix.
      nick := left(nick, 15) || '_' || substr(md5(random()::text), 1, 4);
    end;
  end loop;
  insert into public.profile_preferences (id) values (new.id);
  return new;
end $$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();
