import type postgres from 'postgres';
import { asUser, type Tx } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { deliverEvents } from '../helpers/notifications.ts';

/*
 * Helpers of the notifications tests: acting as people (through RLS, as the app writes), delivering
 * events as the job does, and reading who was told what.
 */

export const as =
  (sql: postgres.Sql, who: string) =>
  <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    asUser(userClaims(who), fn, sql);

/** A comment by `who` on a resource, through RLS (a reply when `parent` is given). */
export async function commentOn(sql: postgres.Sql, who: string, resource: { type: string; id: string }, body: string, parent?: string): Promise<string> {
  const [row] = await as(sql, who)((tx) => tx<{ id: string }[]>`
    insert into public.comments (resource_type, resource_id, parent_id, body)
    values (${resource.type}, ${resource.id}, ${parent ?? null}, ${body}) returning id`);
  return row!.id;
}

export async function nicknameOf(sql: postgres.Sql, id: string): Promise<string> {
  const [row] = await sql<{ nickname: string }[]>`select nickname from public.profiles where id = ${id}`;
  return row!.nickname;
}

/** The events raised since `after` (an event id), for the given resources. */
export async function lastEventId(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ id: string | null }[]>`select max(id) as id from public.notification_events`;
  return Number(row?.id ?? 0);
}

/**
 * Delivers the pending events of the space raised after `sinceId`, oldest first (see
 * deliverEvents). Scoped to the space: the files share the database, and delivering another
 * file's events could deliver one in the window that file leaves between raising it and changing
 * what it is about (a comment hidden before its delivery, told to everybody).
 */
export async function deliver(sql: postgres.Sql, sinceId: number, spaceId: string): Promise<number> {
  const ids = await sql<{ id: string }[]>`
    select id from public.notification_events where id > ${sinceId} and space_id = ${spaceId} and delivered_at is null order by id`;
  return deliverEvents(sql, ids.map((r) => r.id));
}

/** Who got a notification of `kind` (sorted ids), among `people`. */
export async function told(sql: postgres.Sql, kind: string, where: { resourceId?: string; commentId?: string }, people?: readonly string[]): Promise<string[]> {
  const rows = await sql<{ user_id: string }[]>`
    select user_id from public.notifications
    where kind = ${kind}
      and (${where.resourceId ?? null}::uuid is null or resource_id = ${where.resourceId ?? null}::uuid)
      and (${where.commentId ?? null}::text is null or data ->> 'comment_id' = ${where.commentId ?? null}::text)
      and (${people ? [...people] : null}::uuid[] is null or user_id = any (${people ? [...people] : null}::uuid[]))
    order by user_id`;
  return rows.map((r) => r.user_id);
}

export const sorted = (ids: readonly (string | undefined)[]) => [...ids].filter((x): x is string => !!x).sort();
