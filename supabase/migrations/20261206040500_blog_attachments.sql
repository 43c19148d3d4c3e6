-- News posts take attachments (Decidim's blog posts' documents and images): the space's admins add
-- them; they are seen by whoever sees the post (scheduled and hidden ones as the post itself).
create or replace function private.blog_post_attach_space(post uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.space_id from public.blog_posts p
  where p.id = post and private.has_space_role(p.space_id, 'admin')
$$;
revoke all on function private.blog_post_attach_space(uuid) from public, anon, authenticated;

update public.resource_types
set capabilities = array_append(array_remove(capabilities, 'attachable'), 'attachable'),
    attach_space = 'private.blog_post_attach_space(uuid)'
where resource_type = 'blog_post';
