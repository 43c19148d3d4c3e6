-- Verifications (Decidim's authorizations): a component's action may require that the person
-- proved something about themselves (that they live in the city, say) before they take it. The
-- platform's part, naming no feature: the methods, the verifications people hold, the census an
-- admin uploads (salted hashes only), the claims of census lines (rate-limited, one account per
-- line), direct grants by an admin (logged), and `component_allows` asking for the verification
-- an action requires, so every feature's policies keep the rule without a line of their own.

-- ---------------------------------------------------------------------------------------------
-- Methods
-- ---------------------------------------------------------------------------------------------

-- The ways to be verified. `census`: the person types what a line of the census says about them;
-- `direct`: an organization admin grants it (at a help desk, in person). A later method adds its
-- row here (and its code in src/features/verifications).
create table public.verification_methods (
  method text primary key,
  -- People verify themselves (census) or an admin grants it (direct).
  self_service boolean not null,
  constraint verification_methods_name check (method ~ '^[a-z][a-z_]{1,39}$')
);
alter table public.verification_methods enable row level security;
create policy "methods are public" on public.verification_methods for select to anon, authenticated using (true);
revoke insert, update, delete on public.verification_methods from anon, authenticated;
insert into public.verification_methods (method, self_service) values ('census', true), ('direct', false) on conflict do nothing;

-- ---------------------------------------------------------------------------------------------
-- The census: what an admin uploaded, kept only as salted hashes
-- ---------------------------------------------------------------------------------------------

-- The key of the hashes (HMAC-SHA256). Generated once per database; never readable through the
-- API: with it a stolen table of hashes could be matched against guesses offline.
create table private.verification_secret (
  id boolean primary key default true,
  key bytea not null default extensions.gen_random_bytes(32),
  constraint verification_secret_one check (id)
);
alter table private.verification_secret enable row level security;
revoke all on private.verification_secret from public, anon, authenticated;
insert into private.verification_secret default values on conflict do nothing;

create table public.census_uploads (
  id uuid primary key default gen_random_uuid(),
  uploaded_by uuid references public.profiles (id) on delete set null default auth.uid(),
  file_name text not null default '',
  -- Lines read, lines added, and the refused ones with their reason ({line, code}), no content.
  lines_read integer not null default 0,
  lines_added integer not null default 0,
  errors jsonb not null default '[]',
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint census_uploads_file_name check (char_length(file_name) <= 255),
  constraint census_uploads_errors check (jsonb_typeof(errors) = 'array'),
  constraint census_uploads_counts check (lines_read >= 0 and lines_added >= 0)
);
alter table public.census_uploads enable row level security;

create table public.census_lines (
  id uuid primary key default gen_random_uuid(),
  -- HMAC-SHA256 of the normalised identifier and the date of birth: never the values themselves.
  hash bytea not null unique,
  -- The person's district (a taxonomy), for the components that follow it.
  district_id uuid references public.taxonomies (id) on delete set null,
  upload_id uuid references public.census_uploads (id) on delete set null,
  created_at timestamptz not null default now()
);
create index census_lines_upload_idx on public.census_lines (upload_id);
alter table public.census_lines enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Verifications held
-- ---------------------------------------------------------------------------------------------

create table public.verifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  method text not null references public.verification_methods (method),
  -- The district it proves (from the census line, or chosen by the admin who granted it).
  district_id uuid references public.taxonomies (id) on delete set null,
  -- The census line it claimed: one account per line.
  census_line_id uuid unique references public.census_lines (id) on delete cascade,
  granted_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (user_id, method),
  constraint verifications_census_line check ((method = 'census') = (census_line_id is not null))
);
create index verifications_district_idx on public.verifications (district_id);
alter table public.verifications enable row level security;

-- Failed and successful claims, per account, for the rate limit (and nothing typed).
create table public.census_attempts (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  attempted_at timestamptz not null default now()
);
create index census_attempts_user_idx on public.census_attempts (user_id, attempted_at desc);
alter table public.census_attempts enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Grants and policies
-- ---------------------------------------------------------------------------------------------

-- Uploads and lines: organization admins only, through the functions below for writing.
create policy "org admins see census uploads" on public.census_uploads for select to authenticated
  using ((select private.is_org_admin()));
revoke all on public.census_uploads from anon;
revoke insert, update, delete on public.census_uploads from authenticated;
grant select on public.census_uploads to authenticated;

-- The lines themselves are nobody's reading (hashes, but a count per district is all anyone needs).
revoke all on public.census_lines from anon, authenticated;

-- A person sees their own verifications; organization admins every row (ids and methods only:
-- the admin pages show counts, never a list of people).
create policy "people see their verifications, org admins all" on public.verifications for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_org_admin()));
create policy "org admins grant verifications directly" on public.verifications for insert to authenticated
  with check ((select private.is_org_admin()) and method = 'direct');
create policy "org admins revoke verifications" on public.verifications for delete to authenticated
  using ((select private.is_org_admin()));
revoke all on public.verifications from anon;
revoke insert, update, delete on public.verifications from authenticated;
grant select on public.verifications to authenticated;
grant insert (user_id, method, district_id) on public.verifications to authenticated;
grant delete on public.verifications to authenticated;

revoke all on public.census_attempts from anon, authenticated;

-- Who granted it is the admin who inserted it, not what they said; a census claim comes only
-- from `verify_with_census` (a definer function: not an API role).
create or replace function private.verifications_before_insert() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('anon', 'authenticated') then
    if new.method <> 'direct' then
      raise exception 'only direct verifications are granted by hand' using errcode = '42501';
    end if;
    new.granted_by := (select auth.uid());
    new.census_line_id := null;
    new.created_at := now();
  end if;
  return new;
end $$;
create trigger verifications_before_insert before insert on public.verifications
  for each row execute function private.verifications_before_insert();

-- Direct grants and every revocation go to the action log (who, when; the person's id only).
create trigger verifications_log_grants after insert on public.verifications
  for each row when (new.method = 'direct') execute function private.log_admin_change();
create trigger verifications_log_revocations after delete on public.verifications
  for each row execute function private.log_admin_change();

-- ---------------------------------------------------------------------------------------------
-- Hashing, upload and claim
-- ---------------------------------------------------------------------------------------------

-- The normalised identifier: case, spaces, dots and dashes do not matter ("ab 12-34" = "AB1234").
create or replace function private.census_normalise(identifier text) returns text
language sql immutable set search_path = '' as $$
  select upper(regexp_replace(coalesce(identifier, ''), '[\s.\-_/]', '', 'g'))
$$;

-- Never granted to the API roles: it would let anyone test guesses without the rate limit.
create or replace function private.census_hash(identifier text, birth_date date) returns bytea
language sql stable security definer set search_path = '' as $$
  select extensions.hmac(convert_to(private.census_normalise(identifier) || '|' || to_char(birth_date, 'YYYY-MM-DD'), 'UTF8'),
                         (select s.key from private.verification_secret s), 'sha256')
$$;
revoke all on function private.census_hash(text, date) from public, anon, authenticated;

-- Starts an upload (organization admins): its lines are added in batches, so a large file
-- shows its progress and no request holds a transaction for long.
create or replace function public.census_start_upload(file_name text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  upload uuid;
begin
  if not private.is_org_admin() then
    raise exception 'only organization admins upload the census' using errcode = '42501';
  end if;
  insert into public.census_uploads (uploaded_by, file_name) values ((select auth.uid()), left(coalesce(file_name, ''), 255))
  returning id into upload;
  return upload;
end $$;

-- Adds a batch of checked lines to an upload: `lines` is an array of {line, identifier,
-- birth_date (YYYY-MM-DD), district_id}, or {line, code} for a line the server already refused
-- (recorded as such). Lines already in the census (the same person twice, in this file or an
-- earlier one) are refused with the code `duplicate`; malformed ones with `invalid`. Returns the
-- refused lines as [{line, code}] and records them with the upload (numbers and codes only).
create or replace function public.census_add_lines(upload uuid, lines jsonb, last_batch boolean default false) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  l jsonb;
  refused jsonb := '[]';
  added integer := 0;
  n integer := 0;
  ident text;
  born date;
  district uuid;
  inserted integer;
begin
  if not private.is_org_admin() then
    raise exception 'only organization admins upload the census' using errcode = '42501';
  end if;
  if jsonb_typeof(lines) <> 'array' or jsonb_array_length(lines) > 5000 then
    raise exception 'a batch is an array of at most 5,000 lines' using errcode = '22023';
  end if;
  perform 1 from public.census_uploads u where u.id = upload and u.finished_at is null for update;
  if not found then
    raise exception 'no such upload in progress' using errcode = 'P0002';
  end if;
  for l in select * from jsonb_array_elements(lines) loop
    n := n + 1;
    if l ? 'code' then
      refused := refused || jsonb_build_object('line', l -> 'line', 'code', left(l ->> 'code', 20));
      continue;
    end if;
    ident := private.census_normalise(l ->> 'identifier');
    -- Checked without casting errors: no subtransaction per line on a file of 100,000.
    if char_length(ident) not between 1 and 64
       or not coalesce(l ->> 'birth_date' ~ '^\d{4}-\d{2}-\d{2}$' and pg_input_is_valid(l ->> 'birth_date', 'date'), false)
       or (coalesce(l ->> 'district_id', '') <> '' and not pg_input_is_valid(l ->> 'district_id', 'uuid')) then
      refused := refused || jsonb_build_object('line', l -> 'line', 'code', 'invalid');
      continue;
    end if;
    born := (l ->> 'birth_date')::date;
    district := nullif(l ->> 'district_id', '')::uuid;
    if born > current_date or born < date '1900-01-01'
       or (district is not null and not exists (select 1 from public.taxonomies t where t.id = district)) then
      refused := refused || jsonb_build_object('line', l -> 'line', 'code', 'invalid');
      continue;
    end if;
    insert into public.census_lines (hash, district_id, upload_id)
    values (private.census_hash(ident, born), district, upload)
    on conflict (hash) do nothing;
    get diagnostics inserted = row_count;
    if inserted = 0 then
      refused := refused || jsonb_build_object('line', l -> 'line', 'code', 'duplicate');
    else
      added := added + 1;
    end if;
  end loop;
  update public.census_uploads u
  set lines_read = u.lines_read + n, lines_added = u.lines_added + added,
      errors = case when jsonb_array_length(u.errors) < 10000 then u.errors || refused else u.errors end,
      finished_at = case when last_batch then now() end
  where u.id = upload;
  return refused;
end $$;

-- Removes the census lines nobody has claimed (organization admins), before a new census, say.
-- Claimed lines stay: they are the proof of the verifications they gave.
create or replace function public.census_clear_unclaimed() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  n integer;
begin
  if not private.is_org_admin() then
    raise exception 'only organization admins manage the census' using errcode = '42501';
  end if;
  delete from public.census_lines l where not exists (select 1 from public.verifications v where v.census_line_id = l.id);
  get diagnostics n = row_count;
  insert into public.action_log (actor_id, action, resource_type, data)
  values ((select auth.uid()), 'delete', 'census_lines', jsonb_build_object('count', n));
  return n;
end $$;

-- A person verifies themselves against the census: they type their identifier and date of
-- birth. The answer is one word, never which of the two was wrong: `verified`, `no_match`,
-- `taken` (the line verified another account), `already` (this account is verified) or
-- `rate_limited` (5 tries per 15 minutes per account, successful or not). Each try is recorded
-- before the answer, so failures count: the function returns instead of raising for them.
create or replace function public.verify_with_census(identifier text, birth_date date) returns text
language plpgsql security definer set search_path = '' as $$
declare
  me uuid := (select auth.uid());
  line record;
begin
  if me is null then
    raise exception 'sign in to verify yourself' using errcode = '42501';
  end if;
  -- One person's tries one after the other, so the limit holds under parallel requests.
  perform pg_advisory_xact_lock(hashtextextended('census_claim:' || me::text, 0));
  if (select count(*) from public.census_attempts a where a.user_id = me and a.attempted_at > now() - interval '15 minutes') >= 5 then
    return 'rate_limited';
  end if;
  insert into public.census_attempts (user_id) values (me);
  delete from public.census_attempts a where a.user_id = me and a.attempted_at < now() - interval '1 day';
  if exists (select 1 from public.verifications v where v.user_id = me and v.method = 'census') then
    return 'already';
  end if;
  if birth_date is null or char_length(private.census_normalise(identifier)) not between 1 and 64 then
    return 'no_match';
  end if;
  select l.id, l.district_id into line from public.census_lines l where l.hash = private.census_hash(identifier, birth_date);
  if not found then
    return 'no_match';
  end if;
  begin
    insert into public.verifications (user_id, method, district_id, census_line_id)
    values (me, 'census', line.district_id, line.id);
  exception when unique_violation then
    -- Another account holds this line (or this one verified itself in a parallel request).
    return case when exists (select 1 from public.verifications v where v.user_id = me and v.method = 'census') then 'already' else 'taken' end;
  end;
  return 'verified';
end $$;

-- ---------------------------------------------------------------------------------------------
-- What the rules ask
-- ---------------------------------------------------------------------------------------------

-- The methods the caller holds.
create or replace function private.my_verification_methods() returns text[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(v.method order by v.method), '{}') from public.verifications v where v.user_id = (select auth.uid())
$$;

-- The caller's district, as their verifications prove it (the census's first).
create or replace function private.my_verified_district() returns uuid
language sql stable security definer set search_path = '' as $$
  select v.district_id from public.verifications v
  where v.user_id = (select auth.uid()) and v.district_id is not null
  order by (v.method = 'census') desc, v.created_at
  limit 1
$$;

-- The same for any person (triggers acting for whoever wrote, statistics, the tally).
create or replace function private.verified_district(person uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select v.district_id from public.verifications v
  where v.user_id = person and v.district_id is not null
  order by (v.method = 'census') desc, v.created_at
  limit 1
$$;
revoke all on function private.verified_district(uuid) from public, anon, authenticated;

-- Which verifications an action of a component requires: `components.permissions` is
-- {"<action>": ["census", "direct"]} (any of them will do); none when absent or empty.
create or replace function private.is_permissions(value jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(value) = 'object'
    and not exists (
      select 1 from jsonb_each(value) e
      where e.key !~ '^[a-z][a-z_]{1,39}$' or jsonb_typeof(e.value) <> 'array'
        or exists (select 1 from jsonb_array_elements(e.value) m where jsonb_typeof(m) <> 'string' or m #>> '{}' !~ '^[a-z][a-z_]{1,39}$'))
$$;
alter table public.components
  add column permissions jsonb not null default '{}',
  add constraint components_permissions_valid check (private.is_permissions(permissions) and pg_column_size(permissions) < 8192);
grant update (permissions) on public.components to authenticated;

-- The methods an action requires (empty: none), for whoever sees the component.
create or replace function private.component_action_methods(component uuid, action text) returns text[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array(select jsonb_array_elements_text(c.permissions -> action)), '{}')
  from public.components c where c.id = component and private.can_view_component(c.id)
$$;

-- Does the caller hold a verification the action requires (true when it requires none)?
create or replace function private.component_action_verified(component uuid, action text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(cardinality(m) = 0 or m && private.my_verification_methods(), false)
  from (select coalesce(array(select jsonb_array_elements_text(c.permissions -> action)), '{}') as m
        from public.components c where c.id = component) x
$$;

-- `component_allows` (core_spaces) gets a second question: after whether the action is open at all
-- (published, visible, the settings and the active phase let it), the verification it requires. A
-- person who does not hold one is refused by every policy that asks, in every feature. Both are
-- answered by one query; the common case (no requirement) costs one more column read.
-- `component_action_state` says which: 'allowed', 'closed' (not now, not here), or 'unverified'
-- (open, but the caller — a visitor too — holds none of the verifications it requires), so a
-- feature's page can offer the verification instead of calling the action closed.
create or replace function private.component_action_state(component uuid, action text) returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  r record;
  ps jsonb;
  required jsonb;
begin
  select c.space_id, c.published_at as component_published_at, c.settings, c.phase_settings, c.permissions,
         s.published_at as space_published_at, s.private as space_private,
         a.global_enabled_setting, a.phase_enabled_setting, a.phase_blocked_setting,
         (select ph.id::text from public.phases ph where ph.space_id = c.space_id and ph.active) as phase_id
  into r
  from public.components c
  join public.spaces s on s.id = c.space_id
  join public.component_actions a on a.feature = c.feature and a.action = component_action_state.action
  where c.id = component;
  -- A preview is not participation: the component and its space must be published.
  if not found or r.component_published_at is null or r.space_published_at is null then
    return 'closed';
  end if;
  -- Published and public: everyone sees it; otherwise ask who the caller is.
  if r.space_private and not private.can_view_component_row(r.space_id, r.component_published_at) then
    return 'closed';
  end if;
  ps := coalesce(r.phase_settings -> r.phase_id, r.phase_settings -> 'default', '{}');
  if not ((r.global_enabled_setting is null or coalesce(r.settings ->> r.global_enabled_setting = 'true', false))
     and (r.phase_enabled_setting is null or coalesce(ps ->> r.phase_enabled_setting = 'true', false))
     and (r.phase_blocked_setting is null or not coalesce(ps ->> r.phase_blocked_setting = 'true', false))) then
    return 'closed';
  end if;
  required := r.permissions -> action;
  if required is not null and jsonb_typeof(required) = 'array' and jsonb_array_length(required) > 0
     and not exists (
       select 1 from public.verifications v
       where v.user_id = (select auth.uid()) and v.method in (select jsonb_array_elements_text(required))) then
    return 'unverified';
  end if;
  return 'allowed';
end $$;

create or replace function private.component_allows(component uuid, action text) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.component_action_state(component, action) = 'allowed'
$$;

-- Counts for the admin page: how many people hold each method, per district, and how much of
-- the census is claimed. Organization admins only; numbers, never people.
create or replace function public.verification_counts()
returns table (method text, district_id uuid, people bigint)
language sql stable security definer set search_path = '' as $$
  select v.method, v.district_id, count(*) from public.verifications v
  where (select private.is_org_admin())
  group by v.method, v.district_id
$$;
create or replace function public.census_counts()
returns table (district_id uuid, lines bigint, claimed bigint)
language sql stable security definer set search_path = '' as $$
  select l.district_id, count(*), count(v.id) from public.census_lines l
  left join public.verifications v on v.census_line_id = l.id
  where (select private.is_org_admin())
  group by l.district_id
$$;

-- The person an organization admin means by an email or a nickname (to grant or revoke their
-- verification at a help desk): their id only, and only to organization admins.
create or replace function public.verification_find_person(identifier text) returns uuid
language sql stable security definer set search_path = '' as $$
  select case when (select private.is_org_admin()) then private.person_matching(identifier) end
$$;
revoke all on function public.verification_find_person(text) from public, anon;
grant execute on function public.verification_find_person(text) to authenticated;

revoke all on function public.census_start_upload(text), public.census_add_lines(uuid, jsonb, boolean), public.census_clear_unclaimed(),
  public.verify_with_census(text, date), public.verification_counts(), public.census_counts() from public, anon;
grant execute on function public.census_start_upload(text), public.census_add_lines(uuid, jsonb, boolean), public.census_clear_unclaimed(),
  public.verify_with_census(text, date), public.verification_counts(), public.census_counts() to authenticated;
grant execute on function private.my_verification_methods(), private.my_verified_district(),
  private.component_action_methods(uuid, text), private.component_action_verified(uuid, text), private.census_normalise(text),
  private.component_action_state(uuid, text)
  to anon, authenticated, service_role;
