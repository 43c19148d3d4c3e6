import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { getConfig } from '../../src/lib/config.ts';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/**
 * Removes the bytes of files nothing points at any more (`private.orphan_objects`: attachments
 * deleted with their resource, replaced hero images and avatars) through the Storage API with
 * the service role — a Supabase project refuses deleting storage rows in SQL, and only the API
 * removes the bytes too. Names still referenced (never expected: they are random) are kept.
 * Idempotent: removing a missing object is a no-op, so a run cut short is simply run again.
 */

const BATCH = 500;

function serviceStorage(): SupabaseClient['storage'] {
  const config = getConfig();
  return createClient(config.supabaseUrl, config.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } }).storage;
}

export async function purgeOrphans(db: Sql, storage: SupabaseClient['storage'] = serviceStorage()): Promise<{ removed: number }> {
  const batch = await asServiceRole('attachments.purge', (tx) => tx<{ bucket_id: string; name: string; referenced: boolean }[]>`
    select o.bucket_id, o.name, (
      exists (select 1 from public.attachments a where a.bucket_id = o.bucket_id and o.name in (a.object_name, a.thumbnail_name))
      or exists (select 1 from public.spaces s where s.hero_image ->> 'name' = o.name or s.hero_image -> 'card' ->> 'name' = o.name)
      or exists (select 1 from public.profiles p where p.avatar ->> 'name' = o.name)
    ) as referenced
    from private.orphan_objects o order by o.created_at limit ${BATCH}`, db);
  if (batch.length === 0) return { removed: 0 };
  let removed = 0;
  for (const bucket of new Set(batch.map((b) => b.bucket_id))) {
    const names = batch.filter((b) => b.bucket_id === bucket && !b.referenced).map((b) => b.name);
    if (names.length === 0) continue;
    const { data, error } = await storage.from(bucket).remove(names);
    if (error) throw new Error(`removing ${names.length} object(s) from ${bucket}: ${error.message}`);
    removed += data.length;
  }
  await asServiceRole('attachments.purge', (tx) => tx`
    delete from private.orphan_objects o using (select unnest(${batch.map((b) => b.bucket_id)}::text[]) as bucket_id, unnest(${batch.map((b) => b.name)}::text[]) as name) d
    where o.bucket_id = d.bucket_id and o.name = d.name`, db);
  return { removed };
}

export const purgeJob = defineJob({
  queue: 'attachments.purge',
  payload: z.object({}).strict().nullish(),
  schedule: { cron: '*/10 * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 60, expireInSeconds: 600, deleteAfterSeconds: 24 * 60 * 60 },
  async run(_payload, { db, log }) {
    const result = await purgeOrphans(db);
    if (result.removed > 0) log(`removed ${result.removed} orphaned file(s)`);
    return result;
  },
});
