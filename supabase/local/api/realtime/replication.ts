import postgres from 'postgres';

/**
 * A logical replication stream (pgoutput) over the given publications, on a temporary slot, that
 * reconnects forever with backoff (Postgres restarts, network cuts). Values stay in Postgres's text
 * form (the caller converts them by type); each transaction's changes are handed over at commit,
 * with the commit timestamp, so subscribers see whole transactions in commit order.
 *
 * Changes committed while the stream is down are not replayed (the temporary slot dies with its
 * connection), as with Supabase Realtime after a restart of its replication connection.
 */

export interface Relation {
  id: number;
  schema: string;
  table: string;
  columns: { name: string; typeOid: number; key: boolean }[];
}

export type Tuple = (string | null | undefined)[];

export interface Change {
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  relation: Relation;
  /** New row (INSERT/UPDATE). `undefined` entries are unchanged TOASTed values. */
  record: Tuple | null;
  /** Old row: the replica identity (PK) columns, or the full row with REPLICA IDENTITY FULL. */
  old: Tuple | null;
}

export interface Transaction {
  commitTime: Date;
  changes: Change[];
}

export interface ReplicationOptions {
  databaseUrl: string;
  publications: string[];
  onTransaction(tx: Transaction): void;
  /** A new Relation message: caches keyed by relation id must be refreshed. */
  onRelation?(rel: Relation): void;
  log(line: string): void;
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

export function startReplication(opts: ReplicationOptions) {
  let stopped = false;
  let current: postgres.Sql | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let readyResolve: (() => void) | undefined;
  let ready = new Promise<void>((r) => (readyResolve = r));

  const relations = new Map<number, Relation>();

  async function connect(): Promise<void> {
    if (stopped) return;
    const slot = `decidons_rt_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const sql = postgres(opts.databaseUrl, {
      max: 1,
      fetch_types: false,
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: 5,
      onnotice: () => {},
      connection: { replication: 'database', application_name: 'decidons-realtime-replication' } as Record<string, string>,
    });
    current = sql;
    let closed = false;
    const onLost = (why: string) => {
      if (closed) return;
      closed = true;
      void sql.end({ timeout: 0 }).catch(() => {});
      if (current === sql) current = undefined;
      if (stopped) return;
      ready = new Promise<void>((r) => (readyResolve = r));
      const delay = Math.min(5000, 250 * 2 ** Math.min(attempt++, 5));
      opts.log(`realtime replication lost (${why}); reconnecting in ${delay} ms`);
      retryTimer = setTimeout(() => void connect(), delay);
    };
    try {
      const publications = opts.publications.map((p) => p.replace(/[^a-z0-9_]/gi, '')).join(',');
      const [x] = await sql.unsafe(`CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput NOEXPORT_SNAPSHOT`);
      const point = String((x as unknown as { consistent_point: string }).consistent_point);
      const stream = await sql
        .unsafe(`START_REPLICATION SLOT ${slot} LOGICAL ${point} (proto_version '1', publication_names '${publications}')`)
        .writable();
      let lsn = Buffer.concat(point.split('/').map((h) => Buffer.from(h.padStart(8, '0'), 'hex')));
      let pending: Transaction | undefined;

      const ack = () => {
        const m = Buffer.alloc(34);
        m[0] = 0x72; // 'r' standby status update
        lsn.copy(m, 1);
        lsn.copy(m, 9);
        lsn.copy(m, 17);
        m.writeBigInt64BE(BigInt(Date.now() - PG_EPOCH_MS) * 1000n, 25);
        stream.write(m);
      };

      stream.on('data', (data: Buffer) => {
        try {
          if (data[0] === 0x77) {
            // XLogData: 'w' walStart(8) walEnd(8) sendTime(8) then the pgoutput message.
            const msg = data.subarray(25);
            const kind = String.fromCharCode(msg[0]!);
            if (kind === 'B') {
              pending = { commitTime: new Date(PG_EPOCH_MS + Number(msg.readBigInt64BE(9) / 1000n)), changes: [] };
            } else if (kind === 'C') {
              lsn = Buffer.from(msg.subarray(10, 18)); // end LSN of the transaction
              const tx = pending;
              pending = undefined;
              if (tx && tx.changes.length) opts.onTransaction(tx);
            } else if (kind === 'R') {
              const rel = parseRelation(msg);
              relations.set(rel.id, rel);
              opts.onRelation?.(rel);
            } else if (kind === 'I' || kind === 'U' || kind === 'D') {
              const change = parseChange(msg, relations);
              if (change && pending) pending.changes.push(change);
            }
          } else if (data[0] === 0x6b && data[17]) {
            ack(); // keepalive asking for a reply
          }
        } catch (err) {
          opts.log(`realtime replication: bad message: ${String(err)}`);
        }
      });
      stream.on('error', (err: Error) => onLost(err.message));
      stream.on('close', () => onLost('stream closed'));
      attempt = 0;
      opts.log(`realtime replication started on slot ${slot}`);
      readyResolve?.();
    } catch (err) {
      onLost(err instanceof Error ? err.message : String(err));
    }
  }

  void connect();

  return {
    /** Resolves once the stream is running (changes committed after this are delivered). */
    ready: () => ready,
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      await current?.end({ timeout: 1 }).catch(() => {});
    },
  };
}

function readCString(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
}

function parseRelation(msg: Buffer): Relation {
  let i = 1;
  const id = msg.readUInt32BE(i);
  i += 4;
  const [schema, afterSchema] = readCString(msg, i);
  const [table, afterTable] = readCString(msg, afterSchema);
  i = afterTable;
  i += 1; // replica identity setting
  const n = msg.readUInt16BE(i);
  i += 2;
  const columns: Relation['columns'] = [];
  for (let c = 0; c < n; c++) {
    const flags = msg[i]!;
    i += 1;
    let name: string;
    [name, i] = readCString(msg, i);
    const typeOid = msg.readUInt32BE(i);
    i += 8; // type oid + atttypmod
    columns.push({ name, typeOid, key: (flags & 1) === 1 });
  }
  return { id, schema: schema || 'pg_catalog', table, columns };
}

function parseTuple(msg: Buffer, at: number): [Tuple, number] {
  const n = msg.readUInt16BE(at);
  let i = at + 2;
  const values: Tuple = [];
  for (let c = 0; c < n; c++) {
    const kind = msg[i]!;
    i += 1;
    if (kind === 0x6e) values.push(null); // n
    else if (kind === 0x75) values.push(undefined); // u: unchanged TOAST
    else {
      const len = msg.readUInt32BE(i);
      i += 4;
      values.push(msg.toString('utf8', i, i + len));
      i += len;
    }
  }
  return [values, i];
}

function parseChange(msg: Buffer, relations: Map<number, Relation>): Change | undefined {
  const kind = String.fromCharCode(msg[0]!);
  const relation = relations.get(msg.readUInt32BE(1));
  if (!relation) return undefined;
  let i = 5;
  if (kind === 'I') {
    const [record] = parseTuple(msg, i + 1); // 'N'
    return { type: 'INSERT', relation, record, old: null };
  }
  let old: Tuple | null = null;
  if (msg[i] === 0x4b || msg[i] === 0x4f) {
    // 'K' (key) or 'O' (old full row)
    [old, i] = parseTuple(msg, i + 1);
  }
  if (kind === 'D') return { type: 'DELETE', relation, record: null, old };
  const [record] = parseTuple(msg, i + 1); // 'N'
  return { type: 'UPDATE', relation, record, old };
}
