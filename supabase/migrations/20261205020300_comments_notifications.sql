-- The `comments` feature's notifications (core notifications: `private.raise_notification`), raised
-- in the transaction of a new comment, each person told once: the people mentioned (`@nickname`),
-- else the author of the comment replied to, else the resource's followers. The core tells only
-- those who may see the comment in its thread (private spaces, hidden comments and resources).

insert into public.notification_kinds (kind, feature, mention) values
  ('comments.mention', 'comments', true),
  ('comments.reply', 'comments', false),
  ('comments.created', 'comments', false);

create or replace function private.comments_notify_mentions() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  mentioned uuid[];
  replied uuid[] := '{}';
  facts jsonb := jsonb_build_object('comment_id', new.id, 'author_id', new.author_id);
begin
  if new.deleted_at is not null or new.hidden_at is not null then
    return null;
  end if;
  select coalesce(array_agg(distinct p.id), '{}') into mentioned
  from (select lower(m[1]) as nickname from regexp_matches(new.body, '(?:^|[^A-Za-z0-9_@-])@([A-Za-z0-9_-]{2,20})', 'g') m) n
  join public.profiles p on p.nickname = n.nickname
  where p.id is distinct from new.author_id;
  if new.parent_id is not null then
    select array_remove(array[c.author_id], null) into replied from public.comments c
    where c.id = new.parent_id and c.author_id is distinct from new.author_id and not c.author_id = any (mentioned);
  end if;
  perform private.raise_notification(
    kind => 'comments.mention', resource_type => new.resource_type, resource_id => new.resource_id,
    component_id => new.component_id, subject_type => 'comment', subject_id => new.id,
    recipients => mentioned, actor_id => new.author_id, data => facts);
  perform private.raise_notification(
    kind => 'comments.reply', resource_type => new.resource_type, resource_id => new.resource_id,
    component_id => new.component_id, subject_type => 'comment', subject_id => new.id,
    recipients => coalesce(replied, '{}'), actor_id => new.author_id, data => facts || jsonb_build_object('parent_id', new.parent_id));
  perform private.raise_notification(
    kind => 'comments.created', resource_type => new.resource_type, resource_id => new.resource_id,
    component_id => new.component_id, subject_type => 'comment', subject_id => new.id,
    audiences => array['followers'], except_ids => mentioned || coalesce(replied, '{}'), actor_id => new.author_id, data => facts);
  return null;
end $$;
