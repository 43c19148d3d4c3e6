-- The unviewable posts' list in PL/pgSQL: planned once per session, not on every call (see
-- …_core_plan_cache.sql). Same body.

create or replace function private.unviewable_blog_post_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(p.id), '{}') from public.blog_posts p
      where (p.hidden_at is not null or p.published_at > now())
        and not private.can_view_blog_post_row(p.component_id, p.space_id, p.author_id, p.published_at, p.hidden_at)
  );
end $$;

