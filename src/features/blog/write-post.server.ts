import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { sanitizeUserHtml } from '../../lib/html/sanitize.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { renderMarkdown } from '../../lib/markdown/index.ts';
import type { WritePostInput } from './blog.ts';
import { POST_CONSTRAINTS, type PostRef } from './write.server.ts';

/**
 * A participant posts news where the component lets them (the database checks the setting, the
 * phase and the person), signed by them, out at once, in their language; written in Markdown and
 * stored as sanitised HTML.
 */
export async function writePost(claims: Claims | null, locale: Locale, input: WritePostInput): Promise<Result<PostRef>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const body = sanitizeUserHtml(renderMarkdown(input.body)).trim();
  if (!body) return notOk(failure(400, 'validation.required', { field: 'body' }));
  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const [allowed] = await tx<{ ok: boolean }[]>`select private.component_allows(${input.component_id}, 'create') as ok`;
        if (!allowed?.ok) throw new Refusal(failure(403, 'error.forbidden'));
        const [row] = await tx<{ id: string }[]>`
          insert into public.blog_posts (component_id, author_id, title, body)
          values (${input.component_id}, ${claims.sub ?? null}, ${jsonb(tx, { [locale]: input.title })}, ${jsonb(tx, { [locale]: body })})
          returning id`;
        return { id: row!.id, componentId: input.component_id };
      }),
    POST_CONSTRAINTS,
  );
  return r.ok ? ok(r.value) : r;
}
