import { asUser, type Claims } from '../../lib/db/index.ts';
import { useTranslations, type Locale } from '../../lib/i18n/index.ts';
import AccountPresence from './AccountPresence.astro';
import { debatesCatalog } from './messages/index.ts';

/** The account page's "Live debates" section: whether one's name shows while writing an argument. */
export async function read(claims: Claims | null, locale: Locale): Promise<{ title: string; data: unknown } | null> {
  if (!claims) return null;
  const showName = await presenceShowsName(claims);
  return { title: useTranslations(locale, debatesCatalog)('debates.presence.accountTitle'), data: { showName } };
}

/** The person's choice (names show unless they said otherwise). */
export async function presenceShowsName(claims: Claims): Promise<boolean> {
  const [row] = await asUser(claims, (tx) => tx<{ show_name: boolean }[]>`
    select show_name from public.debate_presence_preferences where user_id = (select auth.uid())`);
  return row?.show_name ?? true;
}

export const Component = AccountPresence;
