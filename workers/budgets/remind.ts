import { createTransport, type Transporter } from 'nodemailer';
import { z } from 'zod';
import { getConfig } from '../../src/lib/config.ts';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { createTranslator } from '../../src/lib/i18n/catalog.ts';
import { isLocale, type Locale } from '../../src/lib/i18n/locales.ts';
import { pluralForm } from '../../src/lib/i18n/plural.ts';
import { translated } from '../../src/lib/i18n/translated.ts';
import { budgetsCatalog } from '../../src/features/budgets/messages/index.ts';
import { defineJob } from '../job.ts';

/**
 * `budgets.remind`: one email per unfinished ballot (projects chosen, not checked out) once it
 * has stayed so for the component's `reminder_delay_hours` (0: never), while the vote is open —
 * Decidim's known problem is that a fifth of ballots are never confirmed. Each ballot is claimed
 * (`for update skip locked`), mailed, then marked in the same transaction: a run that fails to
 * send leaves it for the next run; parallel workers never mail the same ballot. Sent with the
 * platform's SMTP settings (SMTP_URL, SMTP_SENDER); the link goes to SITE_URL.
 */

export interface ReminderOptions {
  transport: Pick<Transporter, 'sendMail'>;
  sender: string;
  siteUrl: string;
  /** At most this many ballots per run. */
  limit?: number;
}

interface DueBallot {
  id: string;
  budget_id: string;
  component_id: string;
  budget_title: Record<string, string>;
  space_title: Record<string, string>;
  space_kind: 'process' | 'assembly';
  space_slug: string;
  lines_count: number;
  email: string | null;
  name: string;
  locale: string;
  default_locale: string;
}

export async function sendReminders(db: Sql, opts: ReminderOptions): Promise<{ sent: number }> {
  let sent = 0;
  const limit = opts.limit ?? 200;
  // One ballot per transaction: a failure leaves the others mailed and marked.
  for (let i = 0; i < limit; i++) {
    const done = await asServiceRole('budgets.remind', async (tx) => {
      const [b] = await tx<DueBallot[]>`
        select o.id, o.budget_id, o.component_id, g.title as budget_title, s.title as space_title, s.kind as space_kind, s.slug as space_slug,
               o.lines_count, private.budgets_voter_email(o.id) as email, p.name, p.locale, org.default_locale
        from public.ballots o
        join public.components c on c.id = o.component_id
        join public.budgets g on g.id = o.budget_id
        join public.spaces s on s.id = c.space_id
        join public.profiles p on p.id = o.user_id
        cross join lateral (select default_locale from public.organization limit 1) org
        where o.checked_out_at is null and o.reminded_at is null and o.lines_count > 0 and o.user_id is not null
          and c.published_at is not null and s.published_at is not null
          and private.budgets_votes(o.component_id) = 'enabled'
          and coalesce((c.settings ->> 'reminder_delay_hours')::numeric, 24) > 0
          and o.updated_at < now() - make_interval(hours => coalesce((c.settings ->> 'reminder_delay_hours')::numeric, 24)::integer)
        order by o.updated_at
        limit 1
        for update of o skip locked`;
      if (!b) return false;
      if (b.email) {
        const locale: Locale = isLocale(b.locale) ? b.locale : 'fr';
        const t = createTranslator<keyof (typeof budgetsCatalog)['fr']>(locale, budgetsCatalog);
        const segment = b.space_kind === 'process' ? 'processes' : 'assemblies';
        const url = `${opts.siteUrl.replace(/\/$/, '')}/${locale}/${segment}/${b.space_slug}/f/${b.component_id}/budgets/${b.budget_id}#ballot`;
        const text = t('budgets.reminder.body', {
          name: b.name,
          projects: pluralForm(locale, { one: t('budgets.projects.one'), other: t('budgets.projects.other') }, b.lines_count),
          budget: translated(b.budget_title, locale, b.default_locale),
          space: translated(b.space_title, locale, b.default_locale),
          url,
        });
        await opts.transport.sendMail({ from: opts.sender, to: b.email, subject: t('budgets.reminder.subject'), text });
        sent++;
      }
      await tx`update public.ballots set reminded_at = now() where id = ${b.id}`;
      return true;
    }, db);
    if (!done) break;
  }
  return { sent };
}

export const remindJob = defineJob({
  queue: 'budgets.remind',
  payload: z.object({}).strict().nullish(),
  schedule: { cron: '*/10 * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 2, retryDelay: 60, expireInSeconds: 15 * 60, deleteAfterSeconds: 24 * 3600 },
  async run(_payload, { db, log }) {
    const config = getConfig();
    const transport = createTransport(config.smtpUrl);
    try {
      const r = await sendReminders(db, { transport, sender: config.smtpSender, siteUrl: config.siteUrl });
      if (r.sent > 0) log(`sent ${r.sent} reminder(s)`);
      return r;
    } finally {
      transport.close();
    }
  },
});
