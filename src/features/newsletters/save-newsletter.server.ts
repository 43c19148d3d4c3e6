import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { fieldFailures, failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { LOCALES } from '../../lib/i18n/locales.ts';
import { RESOURCES } from '../registry.ts';
import { parseLetterForm } from './newsletters.ts';

/** Each registered resource's page as a pattern (`/f/<component>/proposals/<id>`): links in a letter become resources. */
export const RESOURCE_PATHS = RESOURCES.flatMap((r) => {
  if (!r.path) return [];
  const marker = '00000000-0000-4000-8000-00000000abcd';
  const path = r.path(marker).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(marker, '([0-9a-f-]{36})');
  return [{ type: r.type, pattern: new RegExp(`/f/[0-9a-f-]{36}/${path}/?$`) }];
});

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/**
 * Saves a letter from its form, as a draft. The database keeps the rest: organization admins
 * only, nothing once it has left its draft.
 */
export async function saveNewsletter(claims: Claims | null, form: FormData): Promise<Result<{ id: string }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const parsed = parseLetterForm(form, LOCALES, RESOURCE_PATHS);
  if (Object.keys(parsed.errors).length > 0) {
    return notOk(fieldFailures(400, parsed.errors));
  }
  const idRaw = form.get('newsletter_id');
  const id = typeof idRaw === 'string' && /^[0-9a-f-]{36}$/.test(idRaw) ? idRaw : null;
  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const [admin] = await tx<{ ok: boolean }[]>`select private.is_org_admin() as ok`;
        if (!admin?.ok) throw new Refusal(failure(403, 'error.forbidden'));
        if (id) {
          const rows = await tx<{ id: string }[]>`
            update public.newsletters
            set subject = ${jsonb(tx, parsed.subject)}, blocks = ${jsonb(tx, parsed.blocks)}, audience = ${jsonb(tx, parsed.audience)}
            where id = ${id} returning id`;
          if (rows.length === 0) throw new Refusal(failure(404, 'error.not_found'));
          return { id: rows[0]!.id };
        }
        const [row] = await tx<{ id: string }[]>`
          insert into public.newsletters (subject, blocks, audience, status)
          values (${jsonb(tx, parsed.subject)}, ${jsonb(tx, parsed.blocks)}, ${jsonb(tx, parsed.audience)}, 'draft')
          returning id`;
        return { id: row!.id };
      }),
    { newsletters_read_only: { key: 'newsletters.form.readOnly' }, newsletters_subject: { field: 'subject', key: 'validation.invalid' } },
  );
  return r.ok ? ok(r.value) : r;
}

/**
 * Sends the saved draft: now, or at the time typed in the organization's zone (the workers start
 * it then; a time in the past is now).
 */
export async function scheduleNewsletter(claims: Claims | null, id: string, when: string | null): Promise<Result<{ id: string }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  if (when && !LOCAL_DATE_TIME.test(when)) return notOk(failure(400, 'validation.date', { field: 'scheduled_at' }));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const rows = await tx<{ id: string }[]>`
        update public.newsletters
        set status = 'scheduled',
            scheduled_at = coalesce((${when}::timestamp at time zone (select o.time_zone from public.organization o limit 1)), now())
        where id = ${id} and status = 'draft' returning id`;
      if (rows.length === 0) throw new Refusal(failure(404, 'error.not_found'));
      return { id };
    }),
    { newsletters_read_only: { key: 'newsletters.form.readOnly' } },
  );
  return r.ok ? ok(r.value) : r;
}

/** A scheduled letter whose time has not come goes back to being a draft. */
export async function unscheduleNewsletter(claims: Claims | null, id: string): Promise<Result<{ id: string }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const rows = await tx<{ id: string }[]>`update public.newsletters set status = 'draft' where id = ${id} and status = 'scheduled' returning id`;
      if (rows.length === 0) throw new Refusal(failure(404, 'error.not_found'));
      return { id };
    }),
    { newsletters_read_only: { key: 'newsletters.form.readOnly' } },
  );
  return r.ok ? ok(r.value) : r;
}

/** Deletes a draft (RLS: drafts only, organization admins only). */
export async function deleteNewsletter(claims: Claims | null, id: string): Promise<Result<{ id: string }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const rows = await asUser(claims, (tx) => tx`delete from public.newsletters where id = ${id} and status = 'draft'`);
  return rows.count === 0 ? notOk(failure(404, 'error.not_found')) : ok({ id });
}
