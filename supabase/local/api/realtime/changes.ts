import type postgres from 'postgres';
import type { Change, Relation, Transaction } from './replication.ts';

/**
 * postgres_changes (reference §C.3): subscription parameters and filters, rows in Supabase's JSON
 * form (`columns` with pg typnames, `commit_timestamp`), and who may see each change — RLS checked
 * once per distinct (role, claims) among the matching subscribers, columns the role cannot select
 * removed, DELETE never checked but reduced to the primary key under RLS.
 */

export type Claims = Record<string, unknown>;

export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in';

export interface Filter {
  column: string;
  op: FilterOp;
  /** One value, or several for `in`. */
  values: string[];
}

export interface PgBinding {
  id: number;
  event: 'INSERT' | 'UPDATE' | 'DELETE' | '*';
  schema: string;
  /** `*` for every table of the schema. */
  table: string;
  filter: Filter | undefined;
}

/** What the dispatcher needs from a joined channel. */
export interface PgSubscriber {
  claims: Claims;
  role: string;
  bindings: PgBinding[];
  /** Sends `{ids, data}` (`data` already JSON) to the client. */
  deliver(ids: number[], dataJson: string, frames: Map<string, string | Buffer>): void;
}

/** phash2-like: the same params give the same id, as a positive 31-bit integer. */
export function bindingId(params: unknown): number {
  const text = JSON.stringify(params);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 0x7fffffff;
}

function splitInList(list: string): string[] | undefined {
  // in.(a,b,"c,d") — values double-quoted when they contain , ( ) " \
  if (!list.startsWith('(') || !list.endsWith(')')) return undefined;
  const body = list.slice(1, -1);
  const out: string[] = [];
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let v = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        v += body[i] ?? '';
        i++;
      }
      out.push(v);
      i++; // closing quote
      if (i < body.length && body[i] !== ',') return undefined;
      i++;
    } else {
      const end = body.indexOf(',', i);
      const stop = end === -1 ? body.length : end;
      out.push(body.slice(i, stop).trim());
      i = stop + 1;
    }
    if (out.length > 100) return undefined;
  }
  return out;
}

export function parseFilter(filter: unknown): Filter | undefined | 'invalid' {
  if (filter === undefined || filter === null || filter === '') return undefined;
  if (typeof filter !== 'string' || filter.length > 1000) return 'invalid';
  const m = /^([^=]+)=(eq|neq|lt|lte|gt|gte|in)\.(.*)$/s.exec(filter);
  if (!m) return 'invalid';
  const [, column = '', op = 'eq', value = ''] = m;
  if (op === 'in') {
    const values = splitInList(value);
    return values ? { column, op, values } : 'invalid';
  }
  return { column, op: op as FilterOp, values: [value] };
}

export function parseBinding(params: unknown): PgBinding | string {
  if (typeof params !== 'object' || params === null) return 'Unable to subscribe to changes with given parameters';
  const p = params as Record<string, unknown>;
  const event = p.event ?? '*';
  if (event !== '*' && event !== 'INSERT' && event !== 'UPDATE' && event !== 'DELETE') {
    return `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: ${String(event)}]`;
  }
  const schema = typeof p.schema === 'string' ? p.schema : 'public';
  const table = typeof p.table === 'string' ? p.table : '*';
  const filter = parseFilter(p.filter);
  if (filter === 'invalid') {
    return `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [schema: ${schema}, table: ${table}, filters: ${String(p.filter)}]`;
  }
  return { id: bindingId(params), event, schema, table, filter };
}

// ---------------------------------------------------------------------------------------------

const NUMERIC = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid', 'money']);

/** Postgres text → the JSON value Supabase sends (what `to_jsonb` would give). */
function toJson(text: string, typname: string): unknown {
  if (NUMERIC.has(typname)) {
    const n = Number(text);
    return Number.isFinite(n) && (typname !== 'int8' || Number.isSafeInteger(n)) ? n : text;
  }
  switch (typname) {
    case 'bool':
      return text === 't';
    case 'json':
    case 'jsonb':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case 'timestamptz':
      // 2024-01-01 12:00:00.123+00 → 2024-01-01T12:00:00.123+00:00
      return text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
    case 'timestamp':
      return text.replace(' ', 'T');
    default:
      return text;
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const as = typeof a === 'string' ? a : JSON.stringify(a);
  const bs = typeof b === 'string' ? b : JSON.stringify(b);
  const ad = Date.parse(as);
  const bd = Date.parse(bs);
  if (/^\d{4}-\d\d-\d\d/.test(as) && /^\d{4}-\d\d-\d\d/.test(bs) && !Number.isNaN(ad) && !Number.isNaN(bd)) return ad - bd;
  return as < bs ? -1 : as > bs ? 1 : 0;
}

export function matchesFilter(filter: Filter, row: Record<string, unknown>, typname: string | undefined): boolean {
  if (!(filter.column in row)) return false;
  const v = row[filter.column];
  if (v === null || v === undefined) return false;
  const conv = (s: string) => (typname ? toJson(s, typname === 'bool' ? 'bool' : typname) : s);
  const values = filter.values.map((s) => (typname === 'bool' ? s === 'true' || s === 't' : conv(s)));
  const c = (x: unknown) => (typeof v === 'object' || typeof x === 'object' ? compare(JSON.stringify(v), JSON.stringify(x)) : compare(v, x));
  switch (filter.op) {
    case 'eq':
      return c(values[0]) === 0;
    case 'neq':
      return c(values[0]) !== 0;
    case 'lt':
      return c(values[0]) < 0;
    case 'lte':
      return c(values[0]) <= 0;
    case 'gt':
      return c(values[0]) > 0;
    case 'gte':
      return c(values[0]) >= 0;
    case 'in':
      return values.some((x) => c(x) === 0);
  }
}

// ---------------------------------------------------------------------------------------------

interface RelationInfo {
  rls: boolean;
  typnames: string[];
  /** format_type() of each column, for casts in the visibility query. */
  formatted: string[];
  /** Columns each role may select (by role name). */
  selectable: Map<string, Set<string>>;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function createChangeDispatcher(opts: { sql: postgres.Sql; log: (line: string) => void; subscribers: () => Iterable<PgSubscriber> }) {
  const { sql, log } = opts;
  const info = new Map<number, Promise<RelationInfo>>();
  let queue: Promise<void> = Promise.resolve();

  async function loadInfo(rel: Relation): Promise<RelationInfo> {
    const oids = rel.columns.map((c) => c.typeOid);
    const [types, cls] = await Promise.all([
      sql<{ oid: number; typname: string; formatted: string }[]>`
        select oid::int, typname::text, format_type(oid, null) as formatted from pg_type where oid = any(${oids}::oid[])`,
      sql<{ rls: boolean }[]>`select relrowsecurity as rls from pg_class where oid = ${rel.id}::oid`,
    ]);
    const byOid = new Map(types.map((t) => [t.oid, t]));
    return {
      rls: cls[0]?.rls ?? false,
      typnames: rel.columns.map((c) => byOid.get(c.typeOid)?.typname ?? 'text'),
      formatted: rel.columns.map((c) => byOid.get(c.typeOid)?.formatted ?? 'text'),
      selectable: new Map(),
    };
  }

  function relationInfo(rel: Relation): Promise<RelationInfo> {
    let p = info.get(rel.id);
    if (!p) {
      p = loadInfo(rel);
      p.catch(() => info.delete(rel.id));
      info.set(rel.id, p);
    }
    return p;
  }

  async function selectable(rel: Relation, ri: RelationInfo, role: string): Promise<Set<string>> {
    let cols = ri.selectable.get(role);
    if (!cols) {
      try {
        const rows = await sql<{ attname: string }[]>`
          select attname::text from pg_attribute
          where attrelid = ${rel.id}::oid and attnum > 0 and not attisdropped
            and has_column_privilege(${role}, attrelid, attnum, 'SELECT')`;
        cols = new Set(rows.map((r) => r.attname));
      } catch {
        cols = new Set(); // unknown role: sees nothing
      }
      ri.selectable.set(role, cols);
    }
    return cols;
  }

  /**
   * One round trip: a simple-protocol query of two statements runs as one implicit transaction,
   * so the local settings vanish with it (and with an error). Values are quoted literals
   * (standard_conforming_strings is on, as on every supported Postgres).
   */
  async function visible(rel: Relation, role: string, claims: Claims, pk: { name: string; cast: string; value: string }[]): Promise<boolean> {
    const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const where = pk.map((k) => `${quoteIdent(k.name)} = ${lit(k.value)}::${k.cast}`).join(' and ');
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    const table = `${quoteIdent(rel.schema)}.${quoteIdent(rel.table)}`;
    // First, as the API's own (superuser) connection: is the row there at all? The commit can reach
    // logical replication a moment before it is visible to other sessions; then we look again.
    const query =
      `select 1 as present from ${table} where ${where} limit 1;\n` +
      `select set_config('role', ${lit(role)}, true), set_config('request.jwt.claims', ${lit(JSON.stringify(claims))}, true), ` +
      `set_config('request.jwt.claim.sub', ${lit(sub)}, true), set_config('request.jwt.claim.role', ${lit(role)}, true);\n` +
      `select 1 as visible from ${table} where ${where} limit 1`;
    try {
      for (let attempt = 0; ; attempt++) {
        const results = (await sql.unsafe(query).simple()) as unknown as postgres.Row[][];
        if (results[0]?.length || attempt >= 5) return (results[2]?.length ?? 0) > 0;
        await new Promise((r) => setTimeout(r, 2 * 2 ** attempt));
      }
    } catch (err) {
      log(`realtime: RLS check on ${rel.schema}.${rel.table} as ${role} failed: ${String(err)}`);
      return false;
    }
  }

  async function prepareChange(change: Change, commitTimestamp: string): Promise<(() => void)[]> {
    const rel = change.relation;
    const subs: { sub: PgSubscriber; ids: number[] }[] = [];
    for (const sub of opts.subscribers()) {
      let ids: number[] | undefined;
      for (const b of sub.bindings) {
        if (b.schema !== '*' && b.schema !== rel.schema) continue;
        if (b.table !== '*' && b.table !== rel.table) continue;
        if (b.event !== '*' && b.event !== change.type) continue;
        (ids ??= []).push(b.id);
      }
      if (ids) subs.push({ sub, ids });
    }
    const out: (() => void)[] = [];
    if (!subs.length) return out;
    const ri = await relationInfo(rel);
    const toRow = (t: (string | null | undefined)[] | null, keysOnly = false) => {
      if (!t) return null;
      const row: Record<string, unknown> = {};
      rel.columns.forEach((c, i) => {
        if (keysOnly && !c.key) return;
        const v = t[i];
        if (v === undefined) return;
        row[c.name] = v === null ? null : toJson(v, ri.typnames[i]!);
      });
      return row;
    };
    const record = toRow(change.record);
    const keyColumns = rel.columns.map((c, i) => ({ ...c, i })).filter((c) => c.key);
    let old: Record<string, unknown> | null = null;
    if (change.type === 'DELETE') old = toRow(change.old, ri.rls) ?? {};
    else if (change.type === 'UPDATE') old = change.old ? toRow(change.old, ri.rls) : toRow(change.record, true);
    const filterRow = change.type === 'DELETE' ? (toRow(change.old) ?? {}) : (record ?? {});

    // Filters: a subscriber's ids keep only bindings whose filter matches.
    const typeOf = (col: string) => ri.typnames[rel.columns.findIndex((c) => c.name === col)];
    const matched: { sub: PgSubscriber; ids: number[] }[] = [];
    for (const { sub, ids } of subs) {
      const keep = ids.filter((id) => {
        const b = sub.bindings.find((x) => x.id === id)!;
        return !b.filter || matchesFilter(b.filter, filterRow, typeOf(b.filter.column));
      });
      if (keep.length) matched.push({ sub, ids: keep });
    }
    if (!matched.length) return out;

    // One visibility check and one rendering per distinct (role, claims).
    const groups = new Map<string, { role: string; claims: Claims; members: typeof matched }>();
    for (const m of matched) {
      const key = `${m.sub.role}\u0000${JSON.stringify(m.sub.claims)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { role: m.sub.role, claims: m.sub.claims, members: [] }));
      g.members.push(m);
    }
    const noPk = keyColumns.length === 0;
    await Promise.all(
      [...groups.values()].map(async (g) => {
        const cols = await selectable(rel, ri!, g.role);
        if (!cols.size) return;
        let errors: string[] | null = null;
        if (ri.rls && change.type !== 'DELETE') {
          if (noPk) errors = ['Error 400: Bad Request, no primary key'];
          else {
            const pk = keyColumns.map((k) => ({ name: k.name, cast: ri.formatted[k.i]!, value: change.record![k.i] ?? '' }));
            if (!(await visible(rel, g.role, g.claims, pk))) return;
          }
        }
        const strip = (row: Record<string, unknown> | null) =>
          row && Object.fromEntries(Object.entries(row).filter(([k]) => cols.has(k)));
        const data: Record<string, unknown> = {
          schema: rel.schema,
          table: rel.table,
          commit_timestamp: commitTimestamp,
          type: change.type,
          columns: rel.columns.filter((c) => cols.has(c.name)).map((c) => ({ name: c.name, type: ri.typnames[rel.columns.indexOf(c)] })),
          errors,
        };
        if (change.type !== 'DELETE') data.record = errors ? {} : strip(record);
        if (change.type !== 'INSERT') data.old_record = strip(old);
        const json = JSON.stringify(data);
        out.push(() => {
          const frames = new Map<string, string | Buffer>();
          for (const m of g.members) m.sub.deliver(m.ids, json, frames);
        });
      }),
    );
    return out;
  }

  return {
    onRelation(rel: Relation) {
      info.delete(rel.id);
    },
    /** Transactions are processed one after another, in commit order. */
    onTransaction(tx: Transaction, other: (change: Change, commitTimestamp: string) => void) {
      // Checks start at once (in parallel, bounded by the pool); deliveries keep commit order.
      const ts = tx.commitTime.toISOString();
      const prepared = tx.changes.map((change) => {
        if (change.relation.schema === 'realtime' && change.relation.table === 'messages') return Promise.resolve([() => other(change, ts)]);
        return prepareChange(change, ts).catch((err: unknown) => {
          log(`realtime: dispatching a change failed: ${String(err)}`);
          return [];
        });
      });
      queue = queue.then(async () => {
        for (const p of prepared) for (const send of await p) send();
      });
    },
    /** Forget cached privileges (after DDL, a policy or a grant change is picked up by RLS anyway). */
    clearCaches() {
      info.clear();
    },
  };
}
