import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { CensusClaimInput } from './verifications.ts';

/**
 * A resident verifies themselves against the census (the database's function: hashes compared,
 * one account per line, 5 tries per 15 minutes, each try counted). A refusal never says which of
 * the two fields was wrong.
 */
export async function verifyWithCensus(claims: Claims | null, input: CensusClaimInput): Promise<Result<{ verified: true }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const [row] = await tx<{ outcome: string }[]>`select public.verify_with_census(${input.identifier}, ${input.birth_date}::date) as outcome`;
      return row?.outcome ?? 'no_match';
    }),
  );
  if (!r.ok) return notOk(r.failure);
  switch (r.value) {
    case 'verified':
    case 'already':
      return ok({ verified: true });
    case 'taken':
      return notOk(failure(409, 'verifications.error.taken'));
    case 'rate_limited':
      return notOk(failure(429, 'verifications.error.rate_limited'));
    default:
      return notOk(failure(422, 'verifications.error.no_match'));
  }
}
