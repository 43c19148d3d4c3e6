import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { getConfig } from '../../src/lib/config.ts';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/**
 * Moves the files of spaces whose privacy changed to the bucket it now says (`core_attachments_
 * privacy`): a space made private stops serving its files from the public bucket by URL, one made
 * public lets visitors read them. Through the Storage API with the service role (a Supabase
 * project moves bytes only there), one file at a time with its row locked: a concurrent delete
 * waits, then hands the purge job the bucket the bytes are really in. Idempotent: a move cut short
 * (bytes moved, row not yet) is finished by the next run, which finds the bytes already there.
 */

const BATCH = 200;

type Storage = SupabaseClient['storage'];

function serviceStorage(): Storage {
  const config = getConfig();
  return createClient(config.supabaseUrl, config.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } }).storage;
}

async function moveObject(storage: Storage, from: string, to: string, name: string): Promise<void> {
  const { error } = await storage.from(from).move(name, name, { destinationBucket: to });
  if (!error) return;
  // Moved by a run that stopped before its row changed, or gone from both: nothing to move (a
  // file lost for good must not stop the others' moves at every run).
  if ((await storage.from(to).exists(name)).data) return;
  if (!(await storage.from(from).exists(name)).data) return;
  throw new Error(`moving ${name} from ${from} to ${to}: ${error.message}`);
}

export async function rebucketFiles(db: Sql, storageClient?: Storage): Promise<{ moved: number }> {
  const files = await asServiceRole('attachments.rebucket', (tx) => tx<{ kind: 'attachment' | 'hero'; id: string; from_bucket: string; to_bucket: string; names: string[] }[]>`
    select kind, id, from_bucket, to_bucket, names from private.misplaced_files(${BATCH})`, db);
  let moved = 0;
  const storage = files.length > 0 ? (storageClient ?? serviceStorage()) : null;
  for (const f of files) {
    await asServiceRole('attachments.rebucket', async (tx) => {
      const still = f.kind === 'attachment'
        ? await tx`select 1 from public.attachments where id = ${f.id} and bucket_id = ${f.from_bucket} for update`
        : await tx`select 1 from public.spaces where id = ${f.id} and hero_image ->> 'bucket' = ${f.from_bucket} for update`;
      if (still.length === 0) return;
      for (const name of f.names) await moveObject(storage!, f.from_bucket, f.to_bucket, name);
      if (f.kind === 'attachment') {
        await tx`update public.attachments set bucket_id = ${f.to_bucket} where id = ${f.id}`;
      } else {
        await tx`update public.spaces set hero_image = jsonb_set(hero_image, '{bucket}', to_jsonb(${f.to_bucket}::text)) where id = ${f.id}`;
      }
      moved++;
    }, db);
  }
  if (files.length < BATCH) {
    // Every file of the queued spaces is where it belongs: they leave the queue.
    await asServiceRole('attachments.rebucket', (tx) => tx`
      delete from private.spaces_to_rebucket q
      where not exists (select 1 from private.misplaced_files(1))`, db);
  }
  return { moved };
}

export const rebucketJob = defineJob({
  queue: 'attachments.rebucket',
  payload: z.object({}).strict().nullish(),
  // Every minute: until it runs, a space made private still has its earlier files in the public bucket.
  schedule: { cron: '* * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 30, expireInSeconds: 600, deleteAfterSeconds: 24 * 60 * 60 },
  async run(_payload, { db, log }) {
    const result = await rebucketFiles(db);
    if (result.moved > 0) log(`moved ${result.moved} file(s) to the bucket of their space's privacy`);
    return result;
  },
});
