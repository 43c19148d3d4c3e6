-- Maps a city can use without any map service: the organization's own vector data (GeoJSON layers:
-- streets, river, parks, districts…) that the platform serves in its map style, and the
-- commune's addresses from the national address base (BAN), searched offline with trigrams for
-- the address fields of forms and looked up in reverse from a point on the map. Public data, written
-- by the organization's admins.

create extension if not exists pg_trgm with schema extensions;
create extension if not exists unaccent with schema extensions;

-- Lower case, accents off: "Allée des Tilleuls" and "allee des tilleuls" are the same address.
-- Immutable (the dictionary is named), so it can back a stored column and its index.
create or replace function private.fold(value text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select lower(extensions.unaccent('extensions.unaccent'::regdictionary, coalesce(value, '')))
$$;
grant execute on function private.fold(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Map layers
-- ---------------------------------------------------------------------------------------------

create table public.map_layers (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  -- What its features are when they do not say it themselves (`properties.kind`).
  kind text not null,
  -- A GeoJSON FeatureCollection in WGS 84 (longitude, latitude), checked by the server on import.
  data jsonb not null,
  feature_count integer not null,
  weight integer not null default 0,
  uploaded_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint map_layers_name check (char_length(btrim(name)) between 1 and 120),
  constraint map_layers_kind check (kind in ('street', 'path', 'railway', 'river', 'water', 'park', 'wood', 'building', 'district', 'landmark', 'mixed')),
  constraint map_layers_data check (jsonb_typeof(data) = 'object' and data ->> 'type' = 'FeatureCollection' and jsonb_typeof(data -> 'features') = 'array'),
  constraint map_layers_size check (pg_column_size(data) < 16 * 1024 * 1024 and feature_count between 0 and 100000)
);
create index map_layers_weight_idx on public.map_layers (weight, created_at);

alter table public.map_layers enable row level security;
create policy "map layers are public" on public.map_layers for select to anon, authenticated using (true);
create policy "organization admins add map layers" on public.map_layers for insert to authenticated
  with check ((select private.is_org_admin()));
create policy "organization admins reorder and rename map layers" on public.map_layers for update to authenticated
  using ((select private.is_org_admin())) with check ((select private.is_org_admin()));
create policy "organization admins remove map layers" on public.map_layers for delete to authenticated
  using ((select private.is_org_admin()));
revoke insert, update, delete on public.map_layers from anon;
revoke insert, update on public.map_layers from authenticated;
grant insert (name, kind, data, feature_count, weight) on public.map_layers to authenticated;
grant update (name, weight) on public.map_layers to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Addresses (Base Adresse Nationale)
-- ---------------------------------------------------------------------------------------------

create table public.addresses (
  -- The BAN's `id` (`<INSEE code>_<street code>_<number><suffix>`).
  id text primary key,
  insee text not null,
  number text not null default '',
  rep text not null default '',
  street text not null,
  postcode text not null default '',
  city text not null,
  lat double precision not null,
  lng double precision not null,
  label text generated always as (
    btrim(btrim(number || ' ' || rep) || ' ' || street) || ', ' || btrim(postcode || ' ' || city)) stored,
  search text generated always as (private.fold(number || rep || ' ' || street || ' ' || postcode || ' ' || city)) stored,
  imported_at timestamptz not null default now(),
  constraint addresses_id check (char_length(id) between 1 and 80),
  constraint addresses_insee check (insee ~ '^[0-9][0-9AB][0-9]{3}$'),
  constraint addresses_texts check (char_length(number) <= 10 and char_length(rep) <= 10 and char_length(street) between 1 and 200
    and char_length(postcode) <= 10 and char_length(city) between 1 and 120),
  constraint addresses_point check (lat between -90 and 90 and lng between -180 and 180)
);
create index addresses_search_idx on public.addresses using gin (search extensions.gin_trgm_ops);
create index addresses_point_idx on public.addresses (lat, lng);
create index addresses_insee_idx on public.addresses (insee);

alter table public.addresses enable row level security;
create policy "addresses are public" on public.addresses for select to anon, authenticated using (true);
create policy "organization admins import addresses" on public.addresses for insert to authenticated
  with check ((select private.is_org_admin()));
create policy "organization admins replace addresses" on public.addresses for delete to authenticated
  using ((select private.is_org_admin()));
revoke insert, update, delete on public.addresses from anon;
revoke update on public.addresses from authenticated;

-- Suggestions for what someone is typing: addresses containing it, then those whose words are
-- close to it (trigrams: typos, missing accents), the best first. Security definer so the trigram
-- index leads (the operators are not leakproof; the table is public anyway).
create or replace function private.address_suggest(q text, lim integer default 8)
returns table (id text, label text, lat double precision, lng double precision)
language sql stable security definer set search_path = '' as $$
  with w as (select private.fold(btrim(regexp_replace(q, '\s+', ' ', 'g'))) as q)
  select a.id, a.label, a.lat, a.lng from public.addresses a, w
  where char_length(w.q) >= 3 and (a.search like '%' || w.q || '%' or w.q operator(extensions.<%) a.search)
  order by (a.search like w.q || '%') desc, (a.search like '%' || w.q || '%') desc,
           w.q operator(extensions.<<->) a.search, a.street, length(a.number), a.number, a.rep
  limit least(greatest(coalesce(lim, 8), 1), 20)
$$;

-- The nearest address to a point, within about 300 m (a range on the latitude index, then the
-- distance on a local flat projection: enough for a commune).
create or replace function private.address_nearest(p_lat double precision, p_lng double precision)
returns table (id text, label text, lat double precision, lng double precision, distance_m double precision)
language sql stable security definer set search_path = '' as $$
  select a.id, a.label, a.lat, a.lng,
         6371000 * sqrt(power(radians(a.lat - p_lat), 2) + power(radians(a.lng - p_lng) * cos(radians(p_lat)), 2)) as distance_m
  from public.addresses a
  where a.lat between p_lat - 0.0027 and p_lat + 0.0027
    and a.lng between p_lng - 0.0027 / greatest(cos(radians(p_lat)), 0.01) and p_lng + 0.0027 / greatest(cos(radians(p_lat)), 0.01)
  order by 5
  limit 1
$$;
grant execute on function private.address_suggest(text, integer), private.address_nearest(double precision, double precision)
  to anon, authenticated, service_role;
