import type postgres from 'postgres';
import type { Claims } from './changes.ts';

/**
 * Private channels (reference §C.6): may this role read from / write to a topic? Probe rows are
 * inserted into realtime.messages, read back and inserted again under the caller's role and claims,
 * in a transaction that is always rolled back, so the app's RLS policies on realtime.messages decide.
 */

class Rollback extends Error {}

export async function authorizeTopic(
  sql: postgres.Sql,
  topic: string,
  role: string,
  claims: Claims,
): Promise<{ read: boolean; write: boolean }> {
  let result = { read: false, write: false };
  try {
    await sql.begin(async (tx) => {
      await tx`insert into realtime.messages (topic, extension, private) values (${topic}, 'broadcast', true), (${topic}, 'presence', true)`;
      await tx`select set_config('role', ${role}, true), set_config('realtime.topic', ${topic}, true),
                      set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                      set_config('request.jwt.claim.sub', ${typeof claims.sub === 'string' ? claims.sub : ''}, true),
                      set_config('request.jwt.claim.role', ${role}, true),
                      set_config('request.headers', '{}', true)`;
      const rows = await tx`select 1 from realtime.messages where topic = ${topic} and extension in ('broadcast', 'presence') limit 1`;
      result = { read: rows.length > 0, write: false };
      try {
        await tx.savepoint(async (sp) => {
          await sp`insert into realtime.messages (topic, extension, private) values (${topic}, 'broadcast', true)`;
        });
        result.write = true;
      } catch {
        result.write = false;
      }
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}
