import { asUser, type Claims } from '../../lib/db/index.ts';
import { getConfig } from '../../lib/config.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { isLocale } from '../../lib/i18n/locales.ts';
import { translated } from '../../lib/i18n/translated.ts';
import { SmtpBatchSender } from '../../lib/mail/smtp-batch.ts';
import { addressLetter, letterTemplate, loadLetterLookups, renderLetter } from './render.server.ts';
import type { Block } from './newsletters.ts';

/**
 * Sends the letter as it stands to the admin themselves (their address and language), exactly as
 * its recipients will receive it; nothing is recorded.
 */
export async function testSendNewsletter(claims: Claims | null, id: string, email: string | undefined): Promise<Result<{ id: string }>> {
  if (!claims?.sub || !email) return notOk(failure(401, 'error.unauthorized'));
  const config = getConfig();
  const found = await asUser(claims, async (tx) => {
    const [row] = await tx<{ id: string; subject: Record<string, string>; blocks: Block[]; locale: string }[]>`
      select l.id, l.subject, l.blocks, (select p.locale from public.profiles p where p.id = ${claims.sub ?? null}) as locale
      from public.newsletters l where l.id = ${id}`;
    return row ? { row, lookups: await loadLetterLookups(tx, row) } : null;
  });
  if (!found) return notOk(failure(404, 'error.not_found'));
  const locale = isLocale(found.row.locale) ? found.row.locale : 'fr';
  const rendered = await renderLetter(found.row, locale, found.lookups, config.siteUrl);
  const template = await letterTemplate(rendered, {
    siteUrl: config.siteUrl,
    sender: config.smtpSender,
    orgName: translated(found.lookups.org.name, locale, found.lookups.org.defaultLocale),
  });
  let message;
  try {
    message = addressLetter(id, locale, template, { userId: claims.sub, email }, { siteUrl: config.siteUrl, sender: config.smtpSender, secret: config.jwtSecret });
  } catch {
    return notOk(failure(422, 'validation.email'));
  }
  const sender = new SmtpBatchSender(config.smtpUrl, { connections: 1 });
  try {
    const [outcome] = await sender.send([message], async () => {});
    if (outcome?.status !== 'sent') return notOk(failure(503, 'error.unavailable'));
  } catch {
    return notOk(failure(503, 'error.unavailable'));
  } finally {
    await sender.close();
  }
  return ok({ id });
}
