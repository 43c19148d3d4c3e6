-- Consent to the platform's newsletter, explicit and separate from the terms: asked at sign-up
-- (the form's box travels in the user's metadata, `newsletter`: true or false), changeable on the
-- account page, asked once again of the accounts that never answered (created before the
-- question existed, or by an invitation). `newsletter_opt_in_at` (core profiles) says yes and
-- since when; `newsletter_answered_at` says the person answered, whatever they said.

alter table public.profile_preferences add column newsletter_answered_at timestamptz;
grant update (newsletter_answered_at) on public.profile_preferences to authenticated;

-- As before (core profiles), plus the answer given at sign-up, when the form asked.
create or replace function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  local_part text := split_part(coalesce(new.email, ''), '@', 1);
  wanted_name text := left(btrim(coalesce(meta ->> 'name', meta ->> 'full_name', '')), 100);
  nick text;
  answered boolean := jsonb_typeof(meta -> 'newsletter') = 'boolean';
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
  insert into public.profile_preferences (id, newsletter_opt_in_at, newsletter_answered_at)
  values (new.id,
          case when answered and (meta -> 'newsletter')::boolean then now() end,
          case when answered then now() end);
  return new;
end $$;
