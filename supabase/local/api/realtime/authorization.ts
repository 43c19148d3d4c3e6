import type postgres from 'postgres';
import type { Claims } from './changes.ts';

/**
 * Private channels (reference §C.6): may this role read from / write to a topic? Probe rows are
 * inserted into realtime.messages, read back and inserted again under the caller's role and claims,
 * in a transaction that is always rolled back, so the app's RLS policies on realtime.messages decide.
 * As Supabase's Realtime does, broadcast and presence are decided apart (the probe rows' `extension`):
 * `read`/`write` for broadcast (`read` is true when either extension may be read: the join's
 * right), `presenceRead` to receive the channel's presence, `presenceWrite` to track in it.
 */

class Rollback extends Error {}

export interface TopicRights {
  read: boolean;
  write: boolean;
  presenceRead: boolean;
  presenceWrite: boolean;
}

export async function authorizeTopic(
  sql: postgres.Sql,
  topic: string,
  role: string,
  claims: Claims,
): Promise<TopicRights> {
  let result: TopicRights = { read: false, write: false, presenceRead: false, presenceWrite: false };
  try {
    await sql.begin(async (tx) => {
      await tx`insert into realtime.messages (topic, extension, private) values (${topic}, 'broadcast', true), (${topic}, 'presence', true)`;
      await tx`select set_config('role', ${role}, true), set_config('realtime.topic', ${topic}, true),
                      set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                      set_config('request.jwt.claim.sub', ${typeof claims.sub === 'string' ? claims.sub : ''}, true),
                      set_config('request.jwt.claim.role', ${role}, true),
                      set_config('request.headers', '{}', true)`;
      const rows = await tx<{ extension: string }[]>`
        select distinct extension from realtime.messages where topic = ${topic} and extension in ('broadcast', 'presence')`;
      const readable = new Set(rows.map((r) => r.extension));
      result = { read: readable.size > 0, write: false, presenceRead: readable.has('presence'), presenceWrite: false };
      const canInsert = async (extension: 'broadcast' | 'presence') => {
        try {
          await tx.savepoint(async (sp) => {
            await sp`insert into realtime.messages (topic, extension, private) values (${topic}, ${extension}, true)`;
          });
          return true;
        } catch {
          return false;
        }
      };
      result.write = await canInsert('broadcast');
      result.presenceWrite = await canInsert('presence');
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}
