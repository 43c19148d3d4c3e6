import type { APIRoute } from 'astro';
import { sql } from '@/lib/db/index.ts';

/** Liveness for `npm start`, tests and load balancers: the process answers and reaches Postgres. */
export const GET: APIRoute = async () => {
  try {
    await sql()`select 1`;
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false, error: 'database_unreachable' }, { status: 503 });
  }
};
