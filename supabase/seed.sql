-- Demo data, in French, loaded once on the first `npm start` (and by `supabase db reset`).
-- Demo accounts: see supabase/demo-accounts.ts (same emails, password decidons-demo-2026).

insert into public.organization (name, description, default_locale, available_locales, contact_email)
values (
  '{"fr": "Ville de Belleville-sur-Loire", "en": "City of Belleville-sur-Loire"}',
  '{"fr": "<p>Bienvenue sur la plateforme de participation citoyenne de Belleville-sur-Loire. Proposez, débattez et décidez ensemble de l''avenir de notre ville.</p>", "en": "<p>Welcome to the citizen participation platform of Belleville-sur-Loire. Propose, debate and decide together on the future of our city.</p>"}',
  'fr',
  array['fr', 'en'],
  'participation@demo.decidons.fr'
)
on conflict (id) do nothing;

with accounts (id, email, name, nickname, locale) as (
  values
    ('00000000-0000-4000-8000-000000000001'::uuid, 'admin@demo.decidons.fr', 'Claire Admin', 'claire_admin', 'fr'),
    ('00000000-0000-4000-8000-000000000002'::uuid, 'camille.martin@demo.decidons.fr', 'Camille Martin', 'camille', 'fr'),
    ('00000000-0000-4000-8000-000000000003'::uuid, 'karim.benali@demo.decidons.fr', 'Karim Benali', 'karim_b', 'fr'),
    ('00000000-0000-4000-8000-000000000004'::uuid, 'lea.dupont@demo.decidons.fr', 'Léa Dupont', 'lea_d', 'en')
), inserted as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change
  )
  select
    '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email,
    extensions.crypt('decidons-demo-2026', extensions.gen_salt('bf', 10)), now(),
    '{"provider": "email", "providers": ["email"]}',
    jsonb_build_object('name', name, 'nickname', nickname, 'locale', locale),
    now(), now(), '', '', '', ''
  from accounts
  on conflict (id) do nothing
  returning id, email
)
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select id::text, id, jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true, 'phone_verified', false), 'email', now(), now(), now()
from inserted
on conflict (provider_id, provider) do nothing;

update public.profiles p
set bio = a.bio
from (values
  ('00000000-0000-4000-8000-000000000001'::uuid, 'Chargée de la participation citoyenne à la mairie.'),
  ('00000000-0000-4000-8000-000000000002'::uuid, 'Habitante du quartier des Tanneurs, cycliste du quotidien.'),
  ('00000000-0000-4000-8000-000000000003'::uuid, 'Parent d''élève et bénévole au jardin partagé.'),
  ('00000000-0000-4000-8000-000000000004'::uuid, 'Étudiante Erasmus, préfère l''interface en anglais.')
) as a (id, bio)
where p.id = a.id;
