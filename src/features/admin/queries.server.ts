import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { LOG_PAGE_SIZE, type LogFilters } from './admin.ts';

export interface LogEntry {
  id: number;
  createdAt: Date;
  actorId: string | null;
  actorName: string | null;
  actorNickname: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  spaceId: string | null;
  spaceTitle: TranslatedText | null;
  /** The person a role or membership entry is about. */
  subjectName: string | null;
  data: { changed?: string[]; title?: TranslatedText; slug?: string; kind?: string; feature?: string; role?: string; via?: string };
}

/**
 * The action log, newest first, filtered (RLS: organization admins read it all, space admins
 * their spaces' entries). `before` pages through older entries.
 */
export async function listActionLog(claims: Claims | null, f: LogFilters): Promise<{ entries: LogEntry[]; more: boolean }> {
  const rows = await asUser(
    claims,
    (tx) => tx<
      {
        id: string;
        created_at: Date;
        actor_id: string | null;
        actor_name: string | null;
        actor_nickname: string | null;
        action: string;
        resource_type: string;
        resource_id: string | null;
        space_id: string | null;
        space_title: TranslatedText | null;
        subject_name: string | null;
        data: LogEntry['data'];
      }[]
    >`
      select l.id::text as id, l.created_at, l.actor_id, p.name as actor_name, p.nickname as actor_nickname, l.action,
        l.resource_type, l.resource_id, l.space_id, s.title as space_title, subject.name as subject_name, l.data
      from public.action_log l
      left join public.profiles p on p.id = l.actor_id
      left join public.profiles subject on subject.id::text = l.data ->> 'user_id'
      left join public.spaces s on s.id = l.space_id
      where true
        ${f.actor ? tx`and l.actor_id = ${f.actor}` : tx``}
        ${f.space ? tx`and l.space_id = ${f.space}` : tx``}
        ${f.action ? tx`and l.action = ${f.action}` : tx``}
        ${f.from ? tx`and l.created_at >= ${f.from}::date` : tx``}
        ${f.to ? tx`and l.created_at < ${f.to}::date + 1` : tx``}
        ${f.before ? tx`and l.id < ${f.before}` : tx``}
      order by l.id desc
      limit ${LOG_PAGE_SIZE + 1}`,
  );
  const entries = rows.slice(0, LOG_PAGE_SIZE).map((r) => ({
    id: Number(r.id),
    createdAt: r.created_at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorNickname: r.actor_nickname,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    spaceId: r.space_id,
    spaceTitle: r.space_title,
    subjectName: r.subject_name,
    data: r.data,
  }));
  return { entries, more: rows.length > LOG_PAGE_SIZE };
}

/** People who appear in the log the viewer can read (the actor filter's options). */
export async function listLogActors(claims: Claims | null): Promise<{ id: string; name: string; nickname: string }[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; name: string; nickname: string }[]>`
      select p.id, p.name, p.nickname from public.profiles p
      where p.id in (select distinct l.actor_id from public.action_log l where l.actor_id is not null)
      order by p.name limit 500`,
  );
  return [...rows];
}
