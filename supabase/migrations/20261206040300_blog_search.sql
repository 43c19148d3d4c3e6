-- News posts in the one search (core_search): title and body; hidden posts are never found, and
-- scheduled ones only once they are out (the type's unviewable posts, asked by the search).
create or replace function private.blog_post_search_document(post uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(p.component_id, p.space_id, p.title, p.body, '{}'::uuid[], p.published_at, null, null)::private.search_document
  from public.blog_posts p
  where p.id = post and p.hidden_at is null
$$;
revoke all on function private.blog_post_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.blog_post_search_document(uuid)' where resource_type = 'blog_post';

create trigger blog_posts_search after insert or delete or update of title, body, published_at, hidden_at, component_id, space_id
  on public.blog_posts for each row execute function private.search_reindex('blog_post');

select private.search_reindex_type('blog_post', array(select p.id from public.blog_posts p));
