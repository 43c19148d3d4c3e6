-- A component's text filter matches words as prefixes (it filters as the user types), and a
-- prefix in the text index is a partial match: Postgres gathers every entry under the prefix into
-- a bitmap before intersecting it with the component's (3 ms for "bancs:*" in 10,000 proposals,
-- 1 ms for the exact word). The words the index holds are kept in a list (added by the index's
-- own writes), so a prefix with few completions is asked as those words instead ("banc:*" →
-- 'banc' | 'bancal'); a prefix with many completions (or none) stays a prefix. Same matches.
create table private.search_lexemes (
  lexeme text collate "C" primary key
);
alter table private.search_lexemes enable row level security;
revoke all on private.search_lexemes from public, anon, authenticated;

insert into private.search_lexemes (lexeme)
select distinct l.lexeme from public.search_index i cross join lateral unnest(tsvector_to_array(i.document)) l(lexeme)
order by 1
on conflict do nothing;

-- In lexeme order, so that two writers adding the same new words wait for each other instead of
-- deadlocking. A word is never removed: a stale one only makes a prefix's list one longer. An update
-- adds the words of the entries whose document changed only: a space made public rewrites the flag
-- of thousands of entries, not their words.
create or replace function private.search_lexemes_add() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    insert into private.search_lexemes (lexeme)
    select distinct l.lexeme
    from added a
    left join before b on b.resource_type = a.resource_type and b.resource_id = a.resource_id
    cross join lateral unnest(tsvector_to_array(a.document)) l(lexeme)
    where b.document is distinct from a.document
    order by 1
    on conflict do nothing;
  else
    insert into private.search_lexemes (lexeme)
    select distinct l.lexeme from added a cross join lateral unnest(tsvector_to_array(a.document)) l(lexeme)
    order by 1
    on conflict do nothing;
  end if;
  return null;
end $$;
revoke all on function private.search_lexemes_add() from public, anon, authenticated;

create trigger search_index_lexemes_inserted after insert on public.search_index
  referencing new table as added for each statement execute function private.search_lexemes_add();
create trigger search_index_lexemes_updated after update on public.search_index
  referencing old table as before new table as added for each statement execute function private.search_lexemes_add();

-- The query with each prefix operand ('banc':*) replaced by its completions when they are 1 to 32;
-- the text form is rebuilt operand by operand (quotes and backslashes stay escaped as tsquery
-- writes them), and the query is returned unchanged if anything about it is unexpected.
create or replace function private.search_expand_prefixes(q tsquery) returns tsquery
language plpgsql stable security definer set search_path = '' as $$
declare
  rebuilt text := '';
  part record;
  word text;
  alternatives text[];
begin
  if q is null then
    return null;
  end if;
  for part in
    select m[1] as operand, m[2] as body, m[3] as other
    from regexp_matches(q::text, '(''((?:[^''\\]|''''|\\.)*)''(?::[*A-D]+)?)|([^'']+)', 'g') m
  loop
    if part.operand is not null and part.operand = '''' || part.body || ''':*' then
      word := replace(replace(part.body, '''''', ''''), '\\', '\');
      alternatives := array(
        select s.lexeme from private.search_lexemes s
        where s.lexeme like replace(replace(replace(word, '\', '\\'), '%', '\%'), '_', '\_') || '%'
        order by s.lexeme limit 33);
      if cardinality(alternatives) between 1 and 32 then
        rebuilt := rebuilt || '(' || (select string_agg('''' || replace(replace(a, '\', '\\'), '''', '''''') || '''', ' | ')
                                      from unnest(alternatives) a) || ')';
      else
        rebuilt := rebuilt || part.operand;
      end if;
    else
      rebuilt := rebuilt || coalesce(part.operand, part.other);
    end if;
  end loop;
  return rebuilt::tsquery;
exception when others then
  return q;
end $$;
revoke all on function private.search_expand_prefixes(tsquery) from public, anon, authenticated;

-- The component's text filter with its prefixes completed, in static statements (planned once per
-- session, not on every call), one per part of the index so that each reads its partial index.
create or replace function private.search_component_ids(p_type text, p_component uuid, q tsquery) returns setof uuid
language plpgsql stable security definer set search_path = '' set enable_seqscan = off as $$
declare
  fn regproc;
  hid uuid[] := '{}';
begin
  if not private.can_view_component(p_component) then
    return;
  end if;
  q := private.search_expand_prefixes(q);
  select t.unviewable::oid::regproc into fn from public.resource_types t where t.resource_type = p_type;
  if fn is not null then
    execute format('select %s()', fn) into hid;
  end if;
  hid := coalesce(hid, '{}');
  if private.search_component_public(p_component) then
    return query select i.resource_id from public.search_index i
      where i.public and i.resource_type = p_type and i.component_id = p_component and i.document @@ q
        and not i.resource_id = any (hid)
        and (i.parent_id is null or not i.parent_id = any ((select private.unviewable_resource_ids())::uuid[]));
  else
    return query select i.resource_id from public.search_index i
      where not i.public and i.resource_type = p_type and i.component_id = p_component and i.document @@ q
        and not i.resource_id = any (hid)
        and (i.parent_id is null or not i.parent_id = any ((select private.unviewable_resource_ids())::uuid[]));
  end if;
end $$;
