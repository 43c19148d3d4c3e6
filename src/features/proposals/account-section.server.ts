import type { Claims } from '../../lib/db/index.ts';
import { useTranslations, type Locale } from '../../lib/i18n/index.ts';
import AccountEvaluations from './AccountEvaluations.astro';
import { listMyEvaluations } from './evaluations-queries.server.ts';
import { proposalsCatalog } from './messages/index.ts';

/** The account page's "Evaluations" section: only for people who evaluate proposals somewhere. */
export async function read(claims: Claims | null, locale: Locale): Promise<{ title: string; data: unknown } | null> {
  const entries = await listMyEvaluations(claims);
  if (entries.length === 0) return null;
  return { title: useTranslations(locale, proposalsCatalog)('proposals.account.evaluations.title'), data: entries };
}

export const Component = AccountEvaluations;
