-- The organization this deployment serves (one row). Translated texts are jsonb {"fr": …, "en": …}.
create table public.organization (
  id boolean primary key default true,
  name jsonb not null,
  description jsonb not null default '{}'::jsonb,
  default_locale text not null default 'fr',
  available_locales text[] not null default array['fr', 'en'],
  contact_email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organization_single_row check (id),
  constraint organization_name_is_translated check (jsonb_typeof(name) = 'object' and name ? default_locale),
  constraint organization_description_is_translated check (jsonb_typeof(description) = 'object'),
  constraint organization_locales check (available_locales <@ array['fr', 'en'] and default_locale = any (available_locales))
);

create trigger organization_touch before update on public.organization
  for each row execute function private.touch_updated_at();

alter table public.organization enable row level security;

create policy "the organization is public" on public.organization
  for select to anon, authenticated using (true);

revoke insert, update, delete on public.organization from anon, authenticated;
grant select on public.organization to anon, authenticated;
