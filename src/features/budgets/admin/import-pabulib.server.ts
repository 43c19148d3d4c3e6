import { asUser, jsonb, type Claims } from '../../../lib/db/index.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import { ballotPoints, ballotProjects, PabulibError, parsePabulib } from '../pabulib.ts';
import { budgetsWrite } from '../write.server.ts';

export const PABULIB_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Imports a Pabulib instance as a closed budget of the component (the database's function: the
 * space's admins): its projects, with their Pabulib ids, and its ballots, anonymous. A file that
 * is not an instance is refused with the reason, next to the file field.
 */
export async function importPabulib(claims: Claims | null, componentId: string, file: File): Promise<Result<{ budgetId: string; projects: number; voters: number }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if (file.size === 0 || file.size > PABULIB_MAX_BYTES) return notOk(failure(422, 'budgets.admin.error.file', { field: 'file' }));
  let inst;
  try {
    inst = parsePabulib(await file.text());
  } catch (err) {
    if (err instanceof PabulibError) return notOk(failure(422, 'budgets.error.pabulib', { field: 'file', params: { reason: err.message } }));
    throw err;
  }
  const projects = inst.projects.map((p) => ({ ref: p['project_id'], cost: Number(p['cost']), name: p['name'] ?? p['title'] ?? '' }));
  const ballots = inst.votes.map((v) => ({ ref: v['voter_id'], projects: ballotProjects(v), points: ballotPoints(v) }));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        select public.budgets_import_pabulib(${componentId}, ${jsonb(tx, inst.meta)}, ${jsonb(tx, projects)}, ${jsonb(tx, ballots)}) as id`;
      return { budgetId: row!.id, projects: projects.length, voters: ballots.length };
    }),
  );
}
