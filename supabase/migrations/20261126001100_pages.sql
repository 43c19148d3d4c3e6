-- The `pages` feature: one static rich-text page per component (Decidim's decidim-pages).
insert into public.component_features (feature) values ('pages') on conflict do nothing;

-- People comment on a page (Decidim's `comment` action), switched on globally and blockable per
-- phase; the manifest declares the same settings.
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting)
values ('pages', 'comment', 'comments_enabled', null, 'comments_blocked')
on conflict (feature, action) do update
  set global_enabled_setting = excluded.global_enabled_setting,
      phase_enabled_setting = excluded.phase_enabled_setting,
      phase_blocked_setting = excluded.phase_blocked_setting;

create table public.pages (
  component_id uuid primary key references public.components (id) on delete cascade,
  -- Translated HTML, sanitised by the server against an allow-list before it is stored.
  body jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  constraint pages_body_translated check (private.is_translated(body))
);
create trigger pages_touch before update on public.pages
  for each row execute function private.touch_updated_at();

-- Only components of the `pages` feature have a page.
create or replace function private.pages_component_is_page() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not exists (select 1 from public.components c where c.id = new.component_id and c.feature = 'pages') then
    raise exception 'a page belongs to a pages component' using errcode = '23514', constraint = 'pages_component_feature';
  end if;
  return new;
end $$;
create trigger pages_component_is_page before insert or update of component_id on public.pages
  for each row execute function private.pages_component_is_page();

alter table public.pages enable row level security;
create policy "pages of visible components" on public.pages for select to anon, authenticated
  using ((select private.can_view_component(component_id)));
create policy "space admins write pages" on public.pages for insert to authenticated
  with check ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')));
create policy "space admins edit pages" on public.pages for update to authenticated
  using ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')))
  with check ((select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'admin')));
revoke insert, update, delete on public.pages from anon;
revoke delete on public.pages from authenticated;
revoke update on public.pages from authenticated;
grant update (body) on public.pages to authenticated;

create trigger pages_log after insert or update on public.pages
  for each row execute function private.log_admin_change();

-- The `page` resource type (comments, follows): a page is its component, one page per pages
-- component, seen by whoever sees the component (the shared policies check that).
create or replace function private.page_resource_component(page uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select c.id from public.components c where c.id = page and c.feature = 'pages'
$$;
revoke all on function private.page_resource_component(uuid) from public, anon, authenticated;
insert into public.resource_types (resource_type, feature, capabilities, component_of)
values ('page', 'pages', '{commentable,followable}', 'private.page_resource_component(uuid)');
-- Follows and likes of a page go with it.
create trigger pages_forget after delete on public.pages
  for each row execute function private.forget_resource('page', 'component_id');
