-- Comments in the one search: their text as the body (no title of their own: the results name the
-- commented resource), the resource they are on as their parent, so a comment is found only by
-- whoever sees that resource too (as the comments' own policy answers). Hidden and deleted
-- comments are never found.
create or replace function private.comment_search_document(comment uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(c.component_id, c.space_id, null, to_jsonb(c.body), '{}'::uuid[], c.created_at,
             c.resource_type, c.resource_id)::private.search_document
  from public.comments c
  where c.id = comment and c.hidden_at is null and c.deleted_at is null
$$;
revoke all on function private.comment_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.comment_search_document(uuid)' where resource_type = 'comment';

-- Only what the document reads: votes and reply counters do not touch the index.
create trigger comments_search after insert or delete or update of body, hidden_at, deleted_at, component_id, space_id, resource_id
  on public.comments for each row execute function private.search_reindex('comment');

select private.search_reindex_type('comment', array(select c.id from public.comments c));
