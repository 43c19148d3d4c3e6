-- The forms library (Decidim's decidim-forms): questionnaires that any resource may own (a survey
-- now, a meeting's registration form later), their questions, options, matrix rows and display
-- conditions; the answers, one submission per person or per browser, validated here whatever the
-- path (the app checks the same rules first, for friendly messages); incremental tallies for the
-- live results and their broadcasts. Nothing here names the features that own questionnaires:
-- they register an owner type with the function that answers for their rules.

-- ---------------------------------------------------------------------------------------------
-- Owner types: who answers for a questionnaire
-- ---------------------------------------------------------------------------------------------

create table public.form_owner_types (
  owner_type text primary key,
  -- The feature whose migration registered it.
  feature text not null,
  -- `(owner uuid) returns jsonb`, for the caller, now: `view` (sees the questions), `manage` (edits
  -- them, reads the answers and exports), `open` (the owner takes answers now, from whoever may
  -- give them), `answer` (the caller may answer now), `visitors` (signed-out visitors may answer,
  -- one per browser), `anonymous` (answers are stored without the person), `terms` (terms must be
  -- accepted first), optionally `visitor_limit` (submissions per client address and hour). Null
  -- when there is no such owner. Security definer.
  rules regprocedure not null,
  -- `() returns uuid[]`: the owners whose questionnaires the caller sees, and those they manage
  -- (the sets of `view` and `manage`), asked once per query by the policies: a row-by-row call of
  -- `rules` over 50,000 answers would cost seconds.
  viewable regprocedure not null,
  managed regprocedure not null,
  constraint form_owner_types_name check (owner_type ~ '^[a-z][a-z_]{1,39}$'),
  constraint form_owner_types_feature check (feature ~ '^[a-z][a-z_]{1,39}$')
);
alter table public.form_owner_types enable row level security;
create policy "form owner types are public" on public.form_owner_types for select to anon, authenticated using (true);
revoke insert, update, delete on public.form_owner_types from anon, authenticated;

-- The key of the keyed hashes (one submission per person or browser without storing who): never
-- readable through the API (the private schema is not exposed, and the roles have no grant).
create table private.form_secret (
  id boolean primary key default true,
  secret bytea not null default extensions.gen_random_bytes(32),
  constraint form_secret_one check (id)
);
alter table private.form_secret enable row level security;
insert into private.form_secret default values;
revoke all on private.form_secret from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Questionnaires, questions, options, matrix rows, display conditions
-- ---------------------------------------------------------------------------------------------

create table public.form_questionnaires (
  id uuid primary key default gen_random_uuid(),
  owner_type text not null references public.form_owner_types (owner_type) on delete cascade,
  owner_id uuid not null,
  title jsonb not null default '{}',
  description jsonb not null default '{}',
  -- The public sees the aggregated answers of the questions marked `results_published` from this
  -- moment, and while answers are still being taken only when `results_live` says so.
  results_published_at timestamptz,
  results_live boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint form_questionnaires_owner unique (owner_type, owner_id),
  constraint form_questionnaires_title check (private.is_translated(title)),
  constraint form_questionnaires_description check (private.is_translated(description))
);
create trigger form_questionnaires_touch before update on public.form_questionnaires
  for each row execute function private.touch_updated_at();
alter table public.form_questionnaires enable row level security;

create table public.form_questions (
  id uuid primary key default gen_random_uuid(),
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  position integer not null,
  kind text not null,
  body jsonb not null default '{}',
  description jsonb not null default '{}',
  mandatory boolean not null default false,
  -- multiple_option: at most this many options; matrix_multiple: per row.
  max_choices integer,
  -- short_answer, long_answer: at most this many characters (else 1,000 and 10,000).
  max_characters integer,
  -- scale: 1 to scale_max, with a label at each end.
  scale_max integer,
  scale_min_label jsonb not null default '{}',
  scale_max_label jsonb not null default '{}',
  results_published boolean not null default false,
  created_at timestamptz not null default now(),
  constraint form_questions_position unique (questionnaire_id, position) deferrable initially immediate,
  constraint form_questions_kind check (kind in ('short_answer', 'long_answer', 'single_option', 'multiple_option', 'sorting',
                                                 'matrix_single', 'matrix_multiple', 'scale', 'separator', 'title_and_description')),
  constraint form_questions_body check (private.is_translated(body) and (kind = 'separator' or private.is_translated(body, true))),
  constraint form_questions_description check (private.is_translated(description)),
  constraint form_questions_mandatory check (not mandatory or kind not in ('separator', 'title_and_description')),
  constraint form_questions_max_choices check (max_choices is null or (kind in ('multiple_option', 'matrix_multiple') and max_choices between 1 and 100)),
  constraint form_questions_max_characters check (max_characters is null or (kind in ('short_answer', 'long_answer') and max_characters between 1 and 10000)),
  constraint form_questions_scale check ((kind = 'scale') = (scale_max is not null) and (scale_max is null or scale_max between 2 and 10)),
  constraint form_questions_scale_labels check (private.is_translated(scale_min_label) and private.is_translated(scale_max_label))
);
create index form_questions_questionnaire_idx on public.form_questions (questionnaire_id, position);
alter table public.form_questions enable row level security;

create table public.form_options (
  id uuid primary key default gen_random_uuid(),
  question_id uuid not null references public.form_questions (id) on delete cascade,
  position integer not null,
  body jsonb not null,
  -- "Autre : …": the person may add a text to this choice.
  free_text boolean not null default false,
  constraint form_options_position unique (question_id, position) deferrable initially immediate,
  constraint form_options_body check (private.is_translated(body, true))
);
alter table public.form_options enable row level security;

create table public.form_matrix_rows (
  id uuid primary key default gen_random_uuid(),
  question_id uuid not null references public.form_questions (id) on delete cascade,
  position integer not null,
  body jsonb not null,
  constraint form_matrix_rows_position unique (question_id, position) deferrable initially immediate,
  constraint form_matrix_rows_body check (private.is_translated(body, true))
);
alter table public.form_matrix_rows enable row level security;

-- Show `question_id` when an earlier question (`condition_question_id`) was answered, was not,
-- has (or has not) this option among its choices, or has a text matching `pattern` (a regular
-- expression, case-insensitive). Decidim's combination: every mandatory condition holds, and at
-- least one of the others when there are others.
create table public.form_conditions (
  id uuid primary key default gen_random_uuid(),
  question_id uuid not null references public.form_questions (id) on delete cascade,
  condition_question_id uuid not null references public.form_questions (id) on delete cascade,
  kind text not null,
  option_id uuid references public.form_options (id) on delete cascade,
  pattern text,
  mandatory boolean not null default true,
  created_at timestamptz not null default now(),
  constraint form_conditions_kind check (kind in ('answered', 'not_answered', 'equal', 'not_equal', 'match')),
  constraint form_conditions_option check ((kind in ('equal', 'not_equal')) = (option_id is not null)),
  constraint form_conditions_pattern check ((kind = 'match') = (pattern is not null) and (pattern is null or char_length(pattern) between 1 and 200)),
  constraint form_conditions_not_itself check (question_id <> condition_question_id)
);
create index form_conditions_question_idx on public.form_conditions (question_id);
create index form_conditions_source_idx on public.form_conditions (condition_question_id);
alter table public.form_conditions enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Submissions, answers, tallies, drafts
-- ---------------------------------------------------------------------------------------------

create table public.form_responses (
  id uuid primary key default gen_random_uuid(),
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  -- Null for anonymous answers and for visitors (and once the account is deleted).
  person_id uuid references public.profiles (id) on delete set null,
  -- Keyed hash of the person or browser for this questionnaire: exactly one submission each, even
  -- when the answers carry no person. Never readable by the API roles (column privileges).
  respondent bytea not null,
  visitor boolean not null default false,
  anonymous boolean not null default false,
  locale text,
  -- Anonymous answers keep the hour only (an exact time would help match them to a person).
  created_at timestamptz not null default now(),
  constraint form_responses_once unique (questionnaire_id, respondent),
  constraint form_responses_anonymous check (not (anonymous or visitor) or person_id is null),
  constraint form_responses_locale check (locale is null or locale ~ '^[a-z]{2}$')
);
create index form_responses_questionnaire_idx on public.form_responses (questionnaire_id, created_at);
create index form_responses_person_idx on public.form_responses (person_id) where person_id is not null;
alter table public.form_responses enable row level security;

create table public.form_answers (
  response_id uuid not null references public.form_responses (id) on delete cascade,
  question_id uuid not null references public.form_questions (id) on delete cascade,
  -- The response's, kept here so the policies decide without a join per row.
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  -- short_answer, long_answer
  body text,
  -- scale
  value integer,
  -- The order answers arrived in (the latest free texts first), without a time of day.
  seq bigint generated always as identity,
  primary key (response_id, question_id)
);
create index form_answers_texts_idx on public.form_answers (question_id, seq desc) where body is not null;
alter table public.form_answers enable row level security;

-- The options chosen: one row per option (and per matrix row); `rank` orders a sorting answer.
create table public.form_answer_choices (
  response_id uuid not null,
  question_id uuid not null,
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  option_id uuid not null references public.form_options (id) on delete cascade,
  row_id uuid references public.form_matrix_rows (id) on delete cascade,
  rank integer,
  free_text text,
  seq bigint generated always as identity,
  foreign key (response_id, question_id) references public.form_answers (response_id, question_id) on delete cascade,
  constraint form_answer_choices_once unique nulls not distinct (response_id, question_id, row_id, option_id)
);
create index form_answer_choices_free_text_idx on public.form_answer_choices (question_id, seq desc) where free_text is not null;
alter table public.form_answer_choices enable row level security;

-- Counts kept as answers arrive, so results over 50,000 submissions are read, not computed:
-- `responses` (key) per questionnaire; per question `<question>` (answered), `<question>:<option>`,
-- `<question>:<option>:<rank>` (sorting), `<question>:<row>:<option>` (matrix), `<question>:<value>` (scale).
create table public.form_tallies (
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  key text not null,
  question_id uuid references public.form_questions (id) on delete cascade,
  count integer not null default 0,
  primary key (questionnaire_id, key)
);
alter table public.form_tallies enable row level security;

-- Answers in progress, keyed like submissions (so an anonymous survey's draft names nobody
-- either); read and written through form_draft / form_save_draft only.
create table public.form_drafts (
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  respondent bytea not null,
  answers jsonb not null default '{}',
  page integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (questionnaire_id, respondent),
  constraint form_drafts_answers check (jsonb_typeof(answers) = 'object' and pg_column_size(answers) < 262144),
  constraint form_drafts_page check (page between 1 and 1000)
);
alter table public.form_drafts enable row level security;

-- Visitors' submissions per client address (hashed) and hour: the rate limit.
create table public.form_visitor_submissions (
  questionnaire_id uuid not null references public.form_questionnaires (id) on delete cascade,
  client bytea not null,
  at timestamptz not null default now()
);
create index form_visitor_submissions_idx on public.form_visitor_submissions (questionnaire_id, client, at);
alter table public.form_visitor_submissions enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Who may do what: the owner's rules
-- ---------------------------------------------------------------------------------------------

-- The owner's rules for this questionnaire and the caller (see form_owner_types.rules), or '{}'.
create or replace function private.form_rules(questionnaire uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  owner uuid;
  rules jsonb;
begin
  select t.rules::oid::regproc, q.owner_id into fn, owner
  from public.form_questionnaires q join public.form_owner_types t on t.owner_type = q.owner_type
  where q.id = questionnaire;
  if fn is null then
    return '{}';
  end if;
  execute format('select %s($1)', fn) into rules using owner;
  return coalesce(rules, '{}');
end $$;

create or replace function private.form_rule(questionnaire uuid, rule text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((private.form_rules(questionnaire) ->> rule)::boolean, false)
$$;

-- The rules of an owner that has no questionnaire yet (creating one).
create or replace function private.form_owner_rule(owner_type text, owner_id uuid, rule text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  rules jsonb;
begin
  select t.rules::oid::regproc into fn from public.form_owner_types t where t.owner_type = form_owner_rule.owner_type;
  if fn is null then
    return false;
  end if;
  execute format('select %s($1)', fn) into rules using owner_id;
  return coalesce((rules ->> rule)::boolean, false);
end $$;

create or replace function private.form_question_questionnaire(question uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select q.questionnaire_id from public.form_questions q where q.id = question
$$;

-- The public sees the published questions' results once published, and while answers are taken
-- only when the questionnaire says "live".
create or replace function private.form_results_public(questionnaire uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select q.results_published_at is not null and q.results_published_at <= now()
       and (q.results_live or not coalesce((r.rules ->> 'open')::boolean, false))
       and coalesce((r.rules ->> 'view')::boolean, false)
    from public.form_questionnaires q, private.form_rules(q.id) as r(rules)
    where q.id = questionnaire), false)
$$;

-- The questionnaires the caller sees, and those they manage: each owner type's set, once per
-- query (the policies wrap them as `(select …)`).
create or replace function private.form_questionnaires_of(which text) returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  t record;
  owners uuid[];
  ids uuid[] := '{}';
begin
  for t in select o.owner_type, case which when 'managed' then o.managed else o.viewable end::oid::regproc as fn
           from public.form_owner_types o order by o.owner_type loop
    execute format('select %s()', t.fn) into owners;
    ids := ids || coalesce((select array_agg(q.id) from public.form_questionnaires q
                            where q.owner_type = t.owner_type and q.owner_id = any (owners)), '{}');
  end loop;
  return ids;
end $$;

create or replace function private.form_viewable_questionnaires() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select private.form_questionnaires_of('viewable') || private.form_questionnaires_of('managed')
$$;

create or replace function private.form_managed_questionnaires() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case when (select auth.uid()) is null then '{}'::uuid[] else private.form_questionnaires_of('managed') end
$$;

-- The caller's own named submissions (anonymous ones name nobody, so they are nobody's).
create or replace function private.form_own_responses() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(r.id), '{}') from public.form_responses r
  where (select auth.uid()) is not null and r.person_id = (select auth.uid())
$$;

-- The questions whose results the public may read now, and their questionnaires.
create or replace function private.form_public_questionnaires() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(q.id), '{}') from public.form_questionnaires q
  where q.results_published_at is not null and private.form_results_public(q.id)
$$;
create or replace function private.form_public_questions() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(x.id), '{}') from public.form_questions x
  where x.results_published and x.questionnaire_id = any (private.form_public_questionnaires())
$$;

grant execute on function private.form_rules(uuid), private.form_rule(uuid, text), private.form_owner_rule(text, uuid, text),
  private.form_question_questionnaire(uuid), private.form_results_public(uuid),
  private.form_viewable_questionnaires(), private.form_managed_questionnaires(), private.form_own_responses(),
  private.form_public_questionnaires(), private.form_public_questions()
  to anon, authenticated, service_role;
revoke all on function private.form_questionnaires_of(text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Structure rules: options where they belong, conditions on earlier questions, locked once answered
-- ---------------------------------------------------------------------------------------------

-- Once a questionnaire has answers, its questions, options, rows and conditions stay as they were
-- answered (only a question's "results published" switch may change): editing them means
-- clearing the answers first (form_clear_responses). The questionnaire row is locked first, so a
-- submission in flight (which holds a key-share lock on it) finishes before the check.
create or replace function private.form_structure_locked(questionnaire uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from public.form_questionnaires q where q.id = questionnaire for update;
  if not found then
    return false; -- the questionnaire itself is being deleted
  end if;
  return exists (select 1 from public.form_responses r where r.questionnaire_id = questionnaire);
end $$;

create or replace function private.form_questions_guard() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and (to_jsonb(new) - 'results_published') = (to_jsonb(old) - 'results_published') then
    return new;
  end if;
  if tg_op = 'UPDATE' and new.questionnaire_id <> old.questionnaire_id then
    raise exception 'a question stays in its questionnaire' using errcode = '23514', constraint = 'form_questions_questionnaire';
  end if;
  if private.form_structure_locked(coalesce(new.questionnaire_id, old.questionnaire_id)) then
    raise exception 'this form has answers: clear them before changing its questions' using errcode = '23514', constraint = 'form_locked';
  end if;
  -- A question that options, rows or conditions depend on keeps a kind they make sense for.
  if tg_op = 'UPDATE' and new.kind <> old.kind then
    if exists (select 1 from public.form_options o where o.question_id = new.id)
       and new.kind not in ('single_option', 'multiple_option', 'sorting', 'matrix_single', 'matrix_multiple') then
      raise exception 'this kind of question has no options' using errcode = '23514', constraint = 'form_options_kind';
    end if;
    if exists (select 1 from public.form_matrix_rows m where m.question_id = new.id) and new.kind not in ('matrix_single', 'matrix_multiple') then
      raise exception 'this kind of question has no rows' using errcode = '23514', constraint = 'form_matrix_rows_kind';
    end if;
    if exists (select 1 from public.form_conditions c where c.condition_question_id = new.id)
       and new.kind in ('separator', 'title_and_description') then
      raise exception 'a condition depends on this question' using errcode = '23514', constraint = 'form_conditions_source';
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end $$;
create trigger form_questions_guard before insert or update or delete on public.form_questions
  for each row execute function private.form_questions_guard();

create or replace function private.form_parts_guard() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  rec jsonb := to_jsonb(coalesce(new, old));
  question uuid := (rec ->> 'question_id')::uuid;
  q record;
  cq record;
begin
  select x.questionnaire_id, x.kind, x.position into q from public.form_questions x where x.id = question;
  if not found then
    return coalesce(new, old); -- the question is being deleted with its parts
  end if;
  if private.form_structure_locked(q.questionnaire_id) then
    raise exception 'this form has answers: clear them before changing its questions' using errcode = '23514', constraint = 'form_locked';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_op = 'UPDATE' and (rec ->> 'question_id') <> (to_jsonb(old) ->> 'question_id') then
    raise exception 'a part stays with its question' using errcode = '23514', constraint = 'form_parts_question';
  end if;
  if tg_table_name = 'form_options' and q.kind not in ('single_option', 'multiple_option', 'sorting', 'matrix_single', 'matrix_multiple') then
    raise exception 'this kind of question has no options' using errcode = '23514', constraint = 'form_options_kind';
  end if;
  if tg_table_name = 'form_matrix_rows' and q.kind not in ('matrix_single', 'matrix_multiple') then
    raise exception 'this kind of question has no rows' using errcode = '23514', constraint = 'form_matrix_rows_kind';
  end if;
  if tg_table_name = 'form_conditions' then
    select x.questionnaire_id, x.kind, x.position into cq from public.form_questions x where x.id = (rec ->> 'condition_question_id')::uuid;
    if cq.questionnaire_id is distinct from q.questionnaire_id or cq.position >= q.position
       or cq.kind in ('separator', 'title_and_description') then
      raise exception 'a condition is on an earlier question of the same form' using errcode = '23514', constraint = 'form_conditions_source';
    end if;
    if rec ->> 'option_id' is not null
       and not exists (select 1 from public.form_options o where o.id = (rec ->> 'option_id')::uuid and o.question_id = (rec ->> 'condition_question_id')::uuid) then
      raise exception 'the option belongs to the condition''s question' using errcode = '23514', constraint = 'form_conditions_option_question';
    end if;
    if rec ->> 'pattern' is not null then
      begin
        perform '' ~* (rec ->> 'pattern');
      exception when invalid_regular_expression then
        raise exception 'not a valid regular expression' using errcode = '23514', constraint = 'form_conditions_pattern_valid';
      end;
    end if;
  end if;
  return new;
end $$;
-- Conditions read earlier questions: checked at commit, so a swap of two positions passes.
create or replace function private.form_questions_order() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if exists (select 1 from public.form_conditions c
             join public.form_questions s on s.id = c.condition_question_id
             join public.form_questions t on t.id = c.question_id
             where (c.question_id = new.id or c.condition_question_id = new.id) and s.position >= t.position) then
    raise exception 'a question stays after the one its condition reads' using errcode = '23514', constraint = 'form_conditions_source';
  end if;
  return null;
end $$;
create constraint trigger form_questions_order after update of position on public.form_questions
  deferrable initially deferred for each row execute function private.form_questions_order();

create trigger form_options_guard before insert or update or delete on public.form_options
  for each row execute function private.form_parts_guard();
create trigger form_matrix_rows_guard before insert or update or delete on public.form_matrix_rows
  for each row execute function private.form_parts_guard();
create trigger form_conditions_guard before insert or update or delete on public.form_conditions
  for each row execute function private.form_parts_guard();

-- ---------------------------------------------------------------------------------------------
-- Validation of answers: the same rules as src/features/forms/rules.ts, as the last word
-- ---------------------------------------------------------------------------------------------

create or replace function private.form_refuse(rule text, question uuid, message text) returns void
language plpgsql volatile set search_path = '' as $$
begin
  raise exception '%', message using errcode = '23514', constraint = rule, column = coalesce(question::text, '');
end $$;

-- An answer as given, or null when it says nothing (blank text, no choice): blank answers are no
-- answers, so "mandatory" and "answered" mean something.
create or replace function private.form_normalize(kind text, a jsonb) returns jsonb
language plpgsql immutable set search_path = '' as $$
declare
  rows jsonb := '{}';
  r record;
begin
  if a is null or jsonb_typeof(a) = 'null' then
    return null;
  end if;
  if jsonb_typeof(a) <> 'object' then
    return a; -- refused by the checks, with the question named
  end if;
  if kind in ('short_answer', 'long_answer') then
    if jsonb_typeof(a -> 'text') = 'string' then
      if btrim(a ->> 'text', E' \t\r\n') = '' then return null; end if;
      return jsonb_set(a, '{text}', to_jsonb(btrim(a ->> 'text', E' \t\r\n')));
    end if;
    return case when a -> 'text' is null then null else a end;
  elsif kind in ('single_option', 'multiple_option') then
    return case when a -> 'choices' is null or a -> 'choices' = '[]' then null else a end;
  elsif kind = 'sorting' then
    return case when a -> 'ranking' is null or a -> 'ranking' = '[]' then null else a end;
  elsif kind in ('matrix_single', 'matrix_multiple') then
    if jsonb_typeof(a -> 'rows') <> 'object' then
      return case when a -> 'rows' is null then null else a end;
    end if;
    for r in select key, value from jsonb_each(a -> 'rows') loop
      if r.value <> '[]' and jsonb_typeof(r.value) <> 'null' then
        rows := rows || jsonb_build_object(r.key, r.value);
      end if;
    end loop;
    return case when rows = '{}' then null else jsonb_set(a, '{rows}', rows) end;
  elsif kind = 'scale' then
    return case when a -> 'value' is null or jsonb_typeof(a -> 'value') = 'null' then null else a end;
  end if;
  return a;
end $$;

-- Whether a (normalized) answer has this option among its choices, in any row or rank.
create or replace function private.form_answer_has(a jsonb, option uuid) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(
    (a -> 'choices') @> jsonb_build_array(jsonb_build_object('option', option::text))
    or (a -> 'ranking') ? option::text
    or exists (select 1 from jsonb_each(case when jsonb_typeof(a -> 'rows') = 'object' then a -> 'rows' else '{}' end) r
               where jsonb_typeof(r.value) = 'array' and r.value ? option::text),
    false)
$$;

-- The text of an answer a `match` condition reads: its text, or its choices' free texts.
create or replace function private.form_answer_text(a jsonb) returns text
language sql immutable set search_path = '' as $$
  select coalesce(a ->> 'text',
    (select string_agg(e ->> 'free_text', E'\n') from jsonb_array_elements(case when jsonb_typeof(a -> 'choices') = 'array' then a -> 'choices' else '[]' end) e
     where jsonb_typeof(e) = 'object'))
$$;

-- Is this question shown, given the answers so far (of visible questions only)?
create or replace function private.form_question_shown(question uuid, answered jsonb) returns boolean
language sql stable security definer set search_path = '' as $$
  with c as (
    select x.mandatory,
      case x.kind
        when 'answered' then answered ? x.condition_question_id::text
        when 'not_answered' then not answered ? x.condition_question_id::text
        when 'equal' then private.form_answer_has(answered -> x.condition_question_id::text, x.option_id)
        when 'not_equal' then answered ? x.condition_question_id::text
                              and not private.form_answer_has(answered -> x.condition_question_id::text, x.option_id)
        when 'match' then coalesce(private.form_answer_text(answered -> x.condition_question_id::text) ~* x.pattern, false)
      end as holds
    from public.form_conditions x where x.question_id = question
  )
  select coalesce(bool_and(holds) filter (where mandatory), true)
     and (not exists (select 1 from c where not mandatory) or coalesce(bool_or(holds) filter (where not mandatory), false))
  from c
$$;

-- Checks one (normalized, non-null) answer against its question.
create or replace function private.form_check_answer(qn public.form_questions, a jsonb) returns void
language plpgsql stable security definer set search_path = '' as $$
declare
  options uuid[];
  free uuid[];
  rows uuid[];
  e jsonb;
  chosen text[];
  n integer;
  r record;
  max_len integer;
begin
  if jsonb_typeof(a) <> 'object' then
    perform private.form_refuse('form_answer_shape', qn.id, 'an answer is an object');
  end if;
  if qn.kind in ('short_answer', 'long_answer') then
    if jsonb_typeof(a -> 'text') <> 'string' or (select count(*) from jsonb_object_keys(a)) <> 1 then
      perform private.form_refuse('form_answer_shape', qn.id, 'a text answer is {"text": "…"}');
    end if;
    max_len := coalesce(qn.max_characters, case qn.kind when 'short_answer' then 1000 else 10000 end);
    if char_length(a ->> 'text') > max_len then
      perform private.form_refuse('form_answer_too_long', qn.id, format('at most %s characters', max_len));
    end if;
    return;
  end if;
  if qn.kind = 'scale' then
    if jsonb_typeof(a -> 'value') <> 'number' or (select count(*) from jsonb_object_keys(a)) <> 1
       or (a ->> 'value') !~ '^\d{1,2}$' or (a ->> 'value')::integer not between 1 and qn.scale_max then
      perform private.form_refuse('form_answer_range', qn.id, format('a whole number from 1 to %s', qn.scale_max));
    end if;
    return;
  end if;
  select coalesce(array_agg(o.id order by o.position), '{}'), coalesce(array_agg(o.id) filter (where o.free_text), '{}')
  into options, free
  from public.form_options o where o.question_id = qn.id;
  if qn.kind in ('single_option', 'multiple_option') then
    if jsonb_typeof(a -> 'choices') <> 'array' or (select count(*) from jsonb_object_keys(a)) <> 1 then
      perform private.form_refuse('form_answer_shape', qn.id, 'a choice answer is {"choices": [{"option": "…"}]}');
    end if;
    chosen := '{}';
    for e in select value from jsonb_array_elements(a -> 'choices') loop
      if jsonb_typeof(e) <> 'object' or jsonb_typeof(e -> 'option') <> 'string'
         or exists (select 1 from jsonb_object_keys(e) k where k not in ('option', 'free_text'))
         or (e ? 'free_text' and jsonb_typeof(e -> 'free_text') not in ('string', 'null')) then
        perform private.form_refuse('form_answer_shape', qn.id, 'a choice is {"option": "…", "free_text": "…"}');
      end if;
      if not (e ->> 'option') = any (options::text[]) then
        perform private.form_refuse('form_answer_option', qn.id, 'this option is not one of the question''s');
      end if;
      if (e ->> 'option') = any (chosen) then
        perform private.form_refuse('form_answer_duplicate', qn.id, 'an option is chosen once');
      end if;
      chosen := chosen || (e ->> 'option');
      if e ->> 'free_text' is not null then
        if not (e ->> 'option') = any (free::text[]) then
          perform private.form_refuse('form_answer_free_text', qn.id, 'this option takes no text');
        end if;
        if char_length(e ->> 'free_text') > 1000 then
          perform private.form_refuse('form_answer_too_long', qn.id, 'at most 1000 characters');
        end if;
      end if;
    end loop;
    n := cardinality(chosen);
    if qn.kind = 'single_option' and n <> 1 then
      perform private.form_refuse('form_answer_too_many', qn.id, 'one option only');
    end if;
    if qn.kind = 'multiple_option' and qn.max_choices is not null and n > qn.max_choices then
      perform private.form_refuse('form_answer_too_many', qn.id, format('at most %s options', qn.max_choices));
    end if;
    return;
  end if;
  if qn.kind = 'sorting' then
    if jsonb_typeof(a -> 'ranking') <> 'array' or (select count(*) from jsonb_object_keys(a)) <> 1
       or exists (select 1 from jsonb_array_elements(a -> 'ranking') x where jsonb_typeof(x) <> 'string') then
      perform private.form_refuse('form_answer_shape', qn.id, 'a ranking is {"ranking": ["option", …]}');
    end if;
    select array_agg(x) into chosen from jsonb_array_elements_text(a -> 'ranking') x;
    if exists (select 1 from unnest(chosen) x where not x = any (options::text[])) then
      perform private.form_refuse('form_answer_option', qn.id, 'this option is not one of the question''s');
    end if;
    if cardinality(chosen) <> (select count(distinct x) from unnest(chosen) x) then
      perform private.form_refuse('form_answer_duplicate', qn.id, 'an option is ranked once');
    end if;
    if cardinality(chosen) <> cardinality(options) then
      perform private.form_refuse('form_answer_ranking', qn.id, 'rank every option');
    end if;
    return;
  end if;
  if qn.kind in ('matrix_single', 'matrix_multiple') then
    if jsonb_typeof(a -> 'rows') <> 'object' or (select count(*) from jsonb_object_keys(a)) <> 1 then
      perform private.form_refuse('form_answer_shape', qn.id, 'a matrix answer is {"rows": {"row": ["option", …]}}');
    end if;
    select coalesce(array_agg(m.id), '{}') into rows from public.form_matrix_rows m where m.question_id = qn.id;
    for r in select key, value from jsonb_each(a -> 'rows') loop
      if not r.key = any (rows::text[]) then
        perform private.form_refuse('form_answer_option', qn.id, 'this row is not one of the question''s');
      end if;
      if jsonb_typeof(r.value) <> 'array' or exists (select 1 from jsonb_array_elements(r.value) x where jsonb_typeof(x) <> 'string') then
        perform private.form_refuse('form_answer_shape', qn.id, 'a row''s answer is a list of options');
      end if;
      select array_agg(x) into chosen from jsonb_array_elements_text(r.value) x;
      if exists (select 1 from unnest(chosen) x where not x = any (options::text[])) then
        perform private.form_refuse('form_answer_option', qn.id, 'this option is not one of the question''s');
      end if;
      if cardinality(chosen) <> (select count(distinct x) from unnest(chosen) x) then
        perform private.form_refuse('form_answer_duplicate', qn.id, 'an option is chosen once per row');
      end if;
      if (qn.kind = 'matrix_single' and cardinality(chosen) <> 1)
         or (qn.kind = 'matrix_multiple' and qn.max_choices is not null and cardinality(chosen) > qn.max_choices) then
        perform private.form_refuse('form_answer_too_many', qn.id, 'too many options in a row');
      end if;
    end loop;
    if qn.mandatory and exists (select 1 from unnest(rows) x where not (a -> 'rows') ? x::text) then
      perform private.form_refuse('form_answer_required', qn.id, 'answer every row');
    end if;
    return;
  end if;
  perform private.form_refuse('form_answer_unknown', qn.id, 'this question takes no answer');
end $$;

-- Validates a whole submission; returns the answers of the shown questions, normalized. Raises on
-- the first problem (constraint: the rule; column: the question).
create or replace function private.form_validate(questionnaire uuid, answers jsonb) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  qn public.form_questions;
  a jsonb;
  given jsonb := '{}';
  bad text;
begin
  if answers is null or jsonb_typeof(answers) <> 'object' then
    perform private.form_refuse('form_answer_shape', null, 'answers are an object keyed by question');
  end if;
  select k into bad from jsonb_object_keys(answers) k
  where not exists (select 1 from public.form_questions x
                    where x.id::text = k and x.questionnaire_id = questionnaire and x.kind not in ('separator', 'title_and_description'))
  limit 1;
  if bad is not null then
    perform private.form_refuse('form_answer_unknown', case when bad ~ '^[0-9a-f-]{36}$' then bad::uuid end, 'no such question in this form');
  end if;
  for qn in select * from public.form_questions x
            where x.questionnaire_id = questionnaire and x.kind not in ('separator', 'title_and_description') order by x.position loop
    a := private.form_normalize(qn.kind, answers -> qn.id::text);
    if not private.form_question_shown(qn.id, given) then
      if a is not null then
        perform private.form_refuse('form_answer_hidden', qn.id, 'this question is not shown: its answer is refused');
      end if;
      continue;
    end if;
    if a is null then
      if qn.mandatory then
        perform private.form_refuse('form_answer_required', qn.id, 'this question must be answered');
      end if;
      continue;
    end if;
    perform private.form_check_answer(qn, a);
    given := given || jsonb_build_object(qn.id::text, a);
  end loop;
  return given;
end $$;

-- ---------------------------------------------------------------------------------------------
-- Submitting, drafts, clearing: the only ways answers are written
-- ---------------------------------------------------------------------------------------------

-- Who answers, as a keyed hash for this questionnaire: the person, else the browser's token.
create or replace function private.form_respondent(questionnaire uuid, visitor_token text) returns bytea
language plpgsql stable security definer set search_path = '' as $$
declare
  uid uuid := (select auth.uid());
begin
  if uid is null and (visitor_token is null or visitor_token !~ '^[A-Za-z0-9_-]{32,128}$') then
    return null;
  end if;
  return extensions.hmac(
    convert_to(questionnaire::text || case when uid is not null then ':person:' || uid::text else ':visitor:' || visitor_token end, 'UTF8'),
    (select s.secret from private.form_secret s), 'sha256');
end $$;

-- The browser's address as the API gateway forwards it (PostgREST's request.headers; the site
-- sets the same), hashed: the visitors' rate limit counts per address without storing any.
create or replace function private.form_client() returns bytea
language sql stable security definer set search_path = '' as $$
  select extensions.hmac(
    convert_to('client:' || coalesce(nullif(btrim(split_part(
      coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb ->> 'x-forwarded-for', ',', 1)), ''), 'unknown'), 'UTF8'),
    (select s.secret from private.form_secret s), 'sha256')
$$;

-- Broadcasts what a submission changed: the new counts, to the form's managers, and to the
-- public for the published questions when results are public now. Aggregates only.
create or replace function private.form_broadcast(questionnaire uuid, counts jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
  public_counts jsonb;
begin
  perform realtime.send(jsonb_build_object('counts', counts), 'tally', 'forms:' || questionnaire::text || ':results', true);
  if exists (select 1 from public.form_questionnaires q where q.id = questionnaire and q.results_published_at is not null and q.results_live) then
    select coalesce(jsonb_object_agg(c.key, c.value), '{}') into public_counts
    from jsonb_each(counts) c
    where c.key = 'responses'
       or exists (select 1 from public.form_questions x
                  where x.questionnaire_id = questionnaire and x.results_published and c.key like x.id::text || '%');
    perform realtime.send(jsonb_build_object('counts', public_counts), 'tally', 'forms:' || questionnaire::text || ':public', true);
  end if;
end $$;

-- Submits a questionnaire's answers, once per person (or per browser for visitors, with a rate
-- limit per address): checks the owner's rules, the terms, every answer, stores them (without
-- the person when anonymous), counts them and broadcasts the counts. Returns the submission id.
create or replace function public.form_submit(
  questionnaire uuid, answers jsonb, visitor_token text default null, terms_accepted boolean default false, locale text default null
) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  rules jsonb;
  uid uuid := (select auth.uid());
  who bytea;
  client_hash bytea;
  anonymous boolean;
  given jsonb;
  response uuid;
  counts jsonb;
begin
  -- A submission and a change of the questions never cross (form_structure_locked).
  perform 1 from public.form_questionnaires q where q.id = questionnaire for key share;
  if not found then
    raise exception 'no such form' using errcode = 'P0002';
  end if;
  rules := private.form_rules(questionnaire);
  if not coalesce((rules ->> 'open')::boolean, false) then
    raise exception 'this form takes no answers now' using errcode = '42501', constraint = 'form_closed';
  end if;
  if not coalesce((rules ->> 'answer')::boolean, false) then
    if uid is null then
      raise exception 'sign in to answer' using errcode = '42501', constraint = 'form_sign_in';
    end if;
    raise exception 'you may not answer this form' using errcode = '42501', constraint = 'form_forbidden';
  end if;
  who := private.form_respondent(questionnaire, visitor_token);
  if who is null then
    raise exception 'a visitor answers with the token of their browser' using errcode = '23514', constraint = 'form_visitor_token';
  end if;
  if coalesce((rules ->> 'terms')::boolean, false) and not coalesce(terms_accepted, false) then
    raise exception 'accept the terms first' using errcode = '23514', constraint = 'form_terms';
  end if;
  if locale is not null and locale !~ '^[a-z]{2}$' then
    locale := null;
  end if;
  given := private.form_validate(questionnaire, answers);
  if uid is null then
    client_hash := private.form_client();
    perform pg_advisory_xact_lock(hashtextextended(questionnaire::text || encode(client_hash, 'hex'), 7));
    if (select count(*) from public.form_visitor_submissions v
        where v.questionnaire_id = questionnaire and v.client = client_hash and v.at > now() - interval '1 hour')
       >= coalesce((rules ->> 'visitor_limit')::integer, 30) then
      raise exception 'too many answers from this address; try again later' using errcode = '23514', constraint = 'form_rate_limited';
    end if;
    insert into public.form_visitor_submissions (questionnaire_id, client) values (questionnaire, client_hash);
  end if;
  anonymous := uid is null or coalesce((rules ->> 'anonymous')::boolean, false);
  -- The unique key decides between simultaneous submissions of one person; the error names the
  -- rule, not the key (a hash that is nobody's business).
  begin
    insert into public.form_responses (questionnaire_id, person_id, respondent, visitor, anonymous, locale, created_at)
    values (questionnaire, case when anonymous then null else uid end, who, uid is null, anonymous, locale,
            case when anonymous then date_trunc('hour', now()) else now() end)
    returning id into response;
  exception when unique_violation then
    raise exception 'this form has already been answered' using errcode = '23505', constraint = 'form_responses_once';
  end;

  insert into public.form_answers (response_id, question_id, questionnaire_id, body, value)
  select response, g.key::uuid, questionnaire, g.value ->> 'text', (g.value ->> 'value')::integer from jsonb_each(given) g;
  insert into public.form_answer_choices (response_id, question_id, questionnaire_id, option_id, row_id, rank, free_text)
  select response, g.key::uuid, questionnaire, (e ->> 'option')::uuid, null::uuid, null::integer, nullif(e ->> 'free_text', '')
  from jsonb_each(given) g, jsonb_array_elements(g.value -> 'choices') e
  where g.value ? 'choices'
  union all
  select response, g.key::uuid, questionnaire, x.option::uuid, null::uuid, x.rank::integer, null::text
  from jsonb_each(given) g, jsonb_array_elements_text(g.value -> 'ranking') with ordinality x(option, rank)
  where g.value ? 'ranking'
  union all
  select response, g.key::uuid, questionnaire, o.option::uuid, r.key::uuid, null::integer, null::text
  from jsonb_each(given) g, jsonb_each(g.value -> 'rows') r, jsonb_array_elements_text(r.value) o(option)
  where g.value ? 'rows';

  -- The counts, in key order (so concurrent submissions lock the same rows in the same order).
  with keys as (
    select 'responses' as key, null::uuid as question_id
    union all select g.key, g.key::uuid from jsonb_each(given) g
    union all select g.key || ':' || (e ->> 'option'), g.key::uuid from jsonb_each(given) g, jsonb_array_elements(g.value -> 'choices') e where g.value ? 'choices'
    union all select g.key || ':' || x.option || ':' || x.rank, g.key::uuid
      from jsonb_each(given) g, jsonb_array_elements_text(g.value -> 'ranking') with ordinality x(option, rank) where g.value ? 'ranking'
    union all select g.key || ':' || r.key || ':' || o.option, g.key::uuid
      from jsonb_each(given) g, jsonb_each(g.value -> 'rows') r, jsonb_array_elements_text(r.value) o(option) where g.value ? 'rows'
    union all select g.key || ':' || (g.value ->> 'value'), g.key::uuid from jsonb_each(given) g where g.value ? 'value'
  ), counted as (
    insert into public.form_tallies (questionnaire_id, key, question_id, count)
    select questionnaire, k.key, k.question_id, 1 from keys k order by k.key
    on conflict (questionnaire_id, key) do update set count = public.form_tallies.count + 1
    returning public.form_tallies.key, public.form_tallies.count
  )
  select jsonb_object_agg(c.key, c.count) into counts from counted c;

  delete from public.form_drafts d where d.questionnaire_id = questionnaire and d.respondent = who;
  perform private.form_broadcast(questionnaire, counts);
  return response;
end $$;

-- Has the caller (or this browser) answered already?
create or replace function public.form_answered(questionnaire uuid, visitor_token text default null) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.form_responses r
                 where r.questionnaire_id = questionnaire and r.respondent = private.form_respondent(questionnaire, visitor_token))
$$;

-- What the caller may do with this questionnaire now (the owner's rules) and whether they (or
-- this browser) have answered it: what the participant's page shows.
create or replace function public.form_access(questionnaire uuid, visitor_token text default null) returns jsonb
language sql stable security definer set search_path = '' as $$
  select private.form_rules(questionnaire) || jsonb_build_object('answered', public.form_answered(questionnaire, visitor_token))
$$;

-- The caller's answers in progress ({"answers": {…}, "at_page": n}), or null.
create or replace function public.form_draft(questionnaire uuid, visitor_token text default null) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('answers', d.answers, 'at_page', d.page) from public.form_drafts d
  where d.questionnaire_id = questionnaire and d.respondent = private.form_respondent(questionnaire, visitor_token)
    and private.form_rule(questionnaire, 'answer')
$$;

-- Keeps the caller's answers in progress (only while they may answer, and before they have).
create or replace function public.form_save_draft(questionnaire uuid, answers jsonb, page integer default 1, visitor_token text default null) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  who bytea := private.form_respondent(questionnaire, visitor_token);
begin
  if who is null or not private.form_rule(questionnaire, 'answer') then
    raise exception 'you may not answer this form' using errcode = '42501', constraint = 'form_forbidden';
  end if;
  if exists (select 1 from public.form_responses r where r.questionnaire_id = questionnaire and r.respondent = who) then
    return;
  end if;
  insert into public.form_drafts (questionnaire_id, respondent, answers, page, updated_at)
  values (questionnaire, who, answers, coalesce(page, 1), now())
  on conflict on constraint form_drafts_pkey do update set answers = excluded.answers, page = excluded.page, updated_at = now();
end $$;

-- Clears every answer of a questionnaire (its managers, after confirming): the questions can then
-- be edited again. Returns how many submissions were deleted.
create or replace function public.form_clear_responses(questionnaire uuid) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  n integer;
begin
  if not private.form_rule(questionnaire, 'manage') then
    raise exception 'only the form''s managers clear its answers' using errcode = '42501';
  end if;
  perform 1 from public.form_questionnaires q where q.id = questionnaire for update;
  delete from public.form_responses r where r.questionnaire_id = questionnaire;
  get diagnostics n = row_count;
  delete from public.form_tallies t where t.questionnaire_id = questionnaire;
  delete from public.form_drafts d where d.questionnaire_id = questionnaire;
  delete from public.form_visitor_submissions v where v.questionnaire_id = questionnaire;
  perform realtime.send(jsonb_build_object('cleared', true), 'tally', 'forms:' || questionnaire::text || ':results', true);
  return n;
end $$;

-- Aggregated results for a reader: everything for the managers, the published questions for the
-- public when results are public; null otherwise. {"responses": n, "counts": {key: n}, "published": [question…]}
create or replace function public.form_results(questionnaire uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  manage boolean := private.form_rule(questionnaire, 'manage');
begin
  if not manage and not private.form_results_public(questionnaire) then
    return null;
  end if;
  return jsonb_build_object(
    'responses', coalesce((select t.count from public.form_tallies t where t.questionnaire_id = questionnaire and t.key = 'responses'), 0),
    'counts', coalesce((
      select jsonb_object_agg(t.key, t.count) from public.form_tallies t
      left join public.form_questions x on x.id = t.question_id
      where t.questionnaire_id = questionnaire and t.key <> 'responses' and (manage or x.results_published)), '{}'),
    'published', coalesce((select jsonb_agg(x.id order by x.position) from public.form_questions x
                           where x.questionnaire_id = questionnaire and x.results_published), '[]'));
end $$;

-- ---------------------------------------------------------------------------------------------
-- The builder's moves: reorder and duplicate (keyboard buttons, no drag needed)
-- ---------------------------------------------------------------------------------------------

-- Swaps a question with its neighbour (delta -1: up, 1: down). A question stays after the
-- questions its conditions read and before those whose conditions read it.
create or replace function public.form_move_question(question uuid, delta integer) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  me public.form_questions;
  other public.form_questions;
begin
  select * into me from public.form_questions x where x.id = question;
  if not found then
    raise exception 'no such question' using errcode = 'P0002';
  end if;
  select * into other from public.form_questions x
  where x.questionnaire_id = me.questionnaire_id
    and (case when delta < 0 then x.position < me.position else x.position > me.position end)
  order by case when delta < 0 then -x.position else x.position end limit 1;
  if not found then
    return;
  end if;
  if exists (select 1 from public.form_conditions c
             where (c.question_id = me.id and c.condition_question_id = other.id)
                or (c.question_id = other.id and c.condition_question_id = me.id)) then
    raise exception 'a condition links these questions: a question stays after the one it depends on'
      using errcode = '23514', constraint = 'form_conditions_source';
  end if;
  set constraints public.form_questions_position deferred;
  update public.form_questions x set position = other.position where x.id = me.id;
  update public.form_questions x set position = me.position where x.id = other.id;
end $$;

-- Duplicates a question (its options, rows and conditions) right after it.
create or replace function public.form_duplicate_question(question uuid) returns uuid
language plpgsql volatile security invoker set search_path = '' as $$
declare
  me public.form_questions;
  copy uuid := gen_random_uuid();
begin
  select * into me from public.form_questions x where x.id = question;
  if not found then
    raise exception 'no such question' using errcode = 'P0002';
  end if;
  set constraints public.form_questions_position deferred;
  update public.form_questions x set position = x.position + 1 where x.questionnaire_id = me.questionnaire_id and x.position > me.position;
  insert into public.form_questions (id, questionnaire_id, position, kind, body, description, mandatory, max_choices, max_characters,
                                     scale_max, scale_min_label, scale_max_label)
  values (copy, me.questionnaire_id, me.position + 1, me.kind, me.body, me.description, me.mandatory, me.max_choices, me.max_characters,
          me.scale_max, me.scale_min_label, me.scale_max_label);
  insert into public.form_options (question_id, position, body, free_text)
  select copy, o.position, o.body, o.free_text from public.form_options o where o.question_id = me.id;
  insert into public.form_matrix_rows (question_id, position, body)
  select copy, m.position, m.body from public.form_matrix_rows m where m.question_id = me.id;
  insert into public.form_conditions (question_id, condition_question_id, kind, option_id, pattern, mandatory)
  select copy, c.condition_question_id, c.kind, c.option_id, c.pattern, c.mandatory from public.form_conditions c where c.question_id = me.id;
  return copy;
end $$;

-- Swaps an option (or a matrix row) with its neighbour; duplicates one right after itself.
create or replace function public.form_move_part(part uuid, delta integer) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  tbl text;
  q uuid;
  pos integer;
  other uuid;
  other_pos integer;
begin
  select 'form_options', o.question_id, o.position into tbl, q, pos from public.form_options o where o.id = part;
  if not found then
    select 'form_matrix_rows', m.question_id, m.position into tbl, q, pos from public.form_matrix_rows m where m.id = part;
  end if;
  if tbl is null then
    raise exception 'no such option' using errcode = 'P0002';
  end if;
  execute format('select id, position from public.%I where question_id = $1 and (case when $3 < 0 then position < $2 else position > $2 end)
                  order by case when $3 < 0 then -position else position end limit 1', tbl)
    into other, other_pos using q, pos, delta;
  if other is null then
    return;
  end if;
  execute format('set constraints public.%I deferred', tbl || '_position');
  execute format('update public.%I set position = $1 where id = $2', tbl) using other_pos, part;
  execute format('update public.%I set position = $1 where id = $2', tbl) using pos, other;
end $$;

create or replace function public.form_duplicate_part(part uuid) returns uuid
language plpgsql volatile security invoker set search_path = '' as $$
declare
  o public.form_options;
  m public.form_matrix_rows;
  copy uuid := gen_random_uuid();
begin
  select * into o from public.form_options x where x.id = part;
  if found then
    set constraints public.form_options_position deferred;
    update public.form_options x set position = x.position + 1 where x.question_id = o.question_id and x.position > o.position;
    insert into public.form_options (id, question_id, position, body, free_text) values (copy, o.question_id, o.position + 1, o.body, o.free_text);
    return copy;
  end if;
  select * into m from public.form_matrix_rows x where x.id = part;
  if found then
    set constraints public.form_matrix_rows_position deferred;
    update public.form_matrix_rows x set position = x.position + 1 where x.question_id = m.question_id and x.position > m.position;
    insert into public.form_matrix_rows (id, question_id, position, body) values (copy, m.question_id, m.position + 1, m.body);
    return copy;
  end if;
  raise exception 'no such option' using errcode = 'P0002';
end $$;

-- ---------------------------------------------------------------------------------------------
-- Row-level security and grants
-- ---------------------------------------------------------------------------------------------

create policy "forms seen by whoever the owner lets see them" on public.form_questionnaires for select to anon, authenticated
  using (id = any ((select private.form_viewable_questionnaires())::uuid[]));
create policy "the owner's managers create its form" on public.form_questionnaires for insert to authenticated
  with check ((select private.form_owner_rule(owner_type, owner_id, 'manage')));
create policy "the owner's managers edit its form" on public.form_questionnaires for update to authenticated
  using ((select private.form_owner_rule(owner_type, owner_id, 'manage')))
  with check ((select private.form_owner_rule(owner_type, owner_id, 'manage')));
revoke insert, update, delete on public.form_questionnaires from anon;
revoke update, delete on public.form_questionnaires from authenticated;
grant update (title, description, results_published_at, results_live) on public.form_questionnaires to authenticated;

create policy "questions of forms the reader sees" on public.form_questions for select to anon, authenticated
  using (questionnaire_id = any ((select private.form_viewable_questionnaires())::uuid[]));
create policy "managers add questions" on public.form_questions for insert to authenticated
  with check (private.form_rule(questionnaire_id, 'manage'));
create policy "managers edit questions" on public.form_questions for update to authenticated
  using (private.form_rule(questionnaire_id, 'manage')) with check (private.form_rule(questionnaire_id, 'manage'));
create policy "managers delete questions" on public.form_questions for delete to authenticated
  using (private.form_rule(questionnaire_id, 'manage'));
revoke insert, update, delete on public.form_questions from anon;
revoke update on public.form_questions from authenticated;
grant update (kind, body, description, mandatory, max_choices, max_characters, scale_max, scale_min_label, scale_max_label, results_published)
  on public.form_questions to authenticated;
-- Positions move through form_move_question (which keeps conditions after their source).
grant update (position) on public.form_questions to authenticated;

create policy "options of forms the reader sees" on public.form_options for select to anon, authenticated
  using (exists (select 1 from public.form_questions x where x.id = question_id));
create policy "managers add options" on public.form_options for insert to authenticated
  with check (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
create policy "managers edit options" on public.form_options for update to authenticated
  using (private.form_rule(private.form_question_questionnaire(question_id), 'manage'))
  with check (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
create policy "managers delete options" on public.form_options for delete to authenticated
  using (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
revoke insert, update, delete on public.form_options from anon;
revoke update on public.form_options from authenticated;
grant update (position, body, free_text) on public.form_options to authenticated;

create policy "rows of forms the reader sees" on public.form_matrix_rows for select to anon, authenticated
  using (exists (select 1 from public.form_questions x where x.id = question_id));
create policy "managers add rows" on public.form_matrix_rows for insert to authenticated
  with check (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
create policy "managers edit rows" on public.form_matrix_rows for update to authenticated
  using (private.form_rule(private.form_question_questionnaire(question_id), 'manage'))
  with check (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
create policy "managers delete rows" on public.form_matrix_rows for delete to authenticated
  using (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
revoke insert, update, delete on public.form_matrix_rows from anon;
revoke update on public.form_matrix_rows from authenticated;
grant update (position, body) on public.form_matrix_rows to authenticated;

create policy "conditions of forms the reader sees" on public.form_conditions for select to anon, authenticated
  using (exists (select 1 from public.form_questions x where x.id = question_id));
create policy "managers add conditions" on public.form_conditions for insert to authenticated
  with check (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
create policy "managers delete conditions" on public.form_conditions for delete to authenticated
  using (private.form_rule(private.form_question_questionnaire(question_id), 'manage'));
revoke insert, update, delete on public.form_conditions from anon;
revoke update on public.form_conditions from authenticated;

-- Answers: written by form_submit only; read by their (non-anonymous) author and the managers.
create policy "people read their own submissions; managers all" on public.form_responses for select to authenticated
  using (person_id = (select auth.uid()) or questionnaire_id = any ((select private.form_managed_questionnaires())::uuid[]));
revoke all on public.form_responses from anon;
revoke insert, update, delete, truncate on public.form_responses from authenticated;
revoke select on public.form_responses from authenticated;
grant select (id, questionnaire_id, person_id, visitor, anonymous, locale, created_at) on public.form_responses to authenticated;

create policy "answers of submissions the reader may read" on public.form_answers for select to authenticated
  using (questionnaire_id = any ((select private.form_managed_questionnaires())::uuid[]) or response_id = any ((select private.form_own_responses())::uuid[]));
revoke all on public.form_answers from anon;
revoke insert, update, delete, truncate on public.form_answers from authenticated;
create policy "choices of submissions the reader may read" on public.form_answer_choices for select to authenticated
  using (questionnaire_id = any ((select private.form_managed_questionnaires())::uuid[]) or response_id = any ((select private.form_own_responses())::uuid[]));
revoke all on public.form_answer_choices from anon;
revoke insert, update, delete, truncate on public.form_answer_choices from authenticated;

create policy "counts for the managers, and the published ones for all when results are public" on public.form_tallies for select to anon, authenticated
  using (questionnaire_id = any ((select private.form_managed_questionnaires())::uuid[])
    or question_id = any ((select private.form_public_questions())::uuid[])
    or (question_id is null and questionnaire_id = any ((select private.form_public_questionnaires())::uuid[])));
revoke insert, update, delete, truncate on public.form_tallies from anon, authenticated;

-- Drafts and the visitors' rate limit: through the functions above only.
revoke all on public.form_drafts from anon, authenticated;
revoke all on public.form_visitor_submissions from anon, authenticated;

revoke all on function public.form_submit(uuid, jsonb, text, boolean, text), public.form_answered(uuid, text), public.form_access(uuid, text),
  public.form_draft(uuid, text), public.form_save_draft(uuid, jsonb, integer, text), public.form_clear_responses(uuid),
  public.form_results(uuid), public.form_move_question(uuid, integer), public.form_duplicate_question(uuid),
  public.form_move_part(uuid, integer), public.form_duplicate_part(uuid) from public;
grant execute on function public.form_submit(uuid, jsonb, text, boolean, text), public.form_answered(uuid, text), public.form_access(uuid, text),
  public.form_draft(uuid, text), public.form_save_draft(uuid, jsonb, integer, text), public.form_results(uuid)
  to anon, authenticated, service_role;
grant execute on function public.form_clear_responses(uuid), public.form_move_question(uuid, integer), public.form_duplicate_question(uuid),
  public.form_move_part(uuid, integer), public.form_duplicate_part(uuid)
  to authenticated, service_role;
revoke all on function private.form_validate(uuid, jsonb), private.form_check_answer(public.form_questions, jsonb),
  private.form_respondent(uuid, text), private.form_client(), private.form_broadcast(uuid, jsonb), private.form_structure_locked(uuid)
  from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Live results: private channels `forms:<questionnaire>:results` (managers) and `:public`
-- ---------------------------------------------------------------------------------------------

create or replace function private.can_join_forms_topic(topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select case parts[2]
      when 'results' then private.form_rule(parts[1]::uuid, 'manage')
      when 'public' then private.form_results_public(parts[1]::uuid) or private.form_rule(parts[1]::uuid, 'manage')
      else false end
    from (select regexp_match(topic, '^forms:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(results|public)$') as parts) t
    where parts is not null
  ), false)
$$;
grant execute on function private.can_join_forms_topic(text) to anon, authenticated, service_role;

create policy "forms topics for the form's managers, and its public results" on realtime.messages for select to anon, authenticated
  using ((select realtime.topic()) like 'forms:%' and (select private.can_join_forms_topic(realtime.topic())));
