import type postgres from 'postgres';

/**
 * After a bulk load, before measuring: what a settled database has already done. The Realtime
 * service's logical replication (open since an earlier part subscribed) decodes every change of the
 * load, published or not — a 100,000-row reindex is a walsender's CPU for minutes on a 2-core
 * machine, beside the measurements — so this waits (up to `maxSeconds`) until every walsender has
 * read the WAL written so far (`sent_lsn`: what it decoded, whether or not it had anything to
 * send), then checkpoints the load's dirty pages. Returns the seconds waited.
 */
export async function settleAfterLoad(sql: postgres.Sql, maxSeconds = 300): Promise<number> {
  const started = performance.now();
  const [target] = await sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  for (;;) {
    const [behind] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_replication where sent_lsn is null or sent_lsn < ${target!.lsn}::pg_lsn`;
    if (!behind?.n || performance.now() - started > maxSeconds * 1000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const waited = (performance.now() - started) / 1000;
  await sql`checkpoint`;
  return waited;
}
