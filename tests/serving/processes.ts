import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The postmaster serving `dataDir`, from its postmaster.pid. */
export function postmasterPid(dataDir: string): number {
  const file = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(file)) throw new Error(`no postmaster.pid in ${dataDir}`);
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 4th field, after the command in parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * kill -9 of a Postgres server and every process it started, at once: what a crash, the OOM
 * killer or a power cut does to the processes (WAL buffers in shared memory are gone).
 */
export function killPostgres9(dataDir: string): number {
  const pid = postmasterPid(dataDir);
  const all = [pid, ...childrenOf(pid)];
  for (const p of all) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pid;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
