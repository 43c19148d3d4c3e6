import type { APIRoute } from 'astro';
import { answerForm } from '@/features/forms/answer-form.server.ts';
import { fieldValues } from '@/features/forms/forms.ts';
import { ensureVisitorToken, readVisitorToken } from '@/features/forms/visitor-token.ts';
import { privateJson } from '@/lib/http/json.ts';

/**
 * The participant form's draft, kept as one types (FormRenderer's script): the page's fields,
 * posted as the form would post them (`page`), joined to the draft without any check. Same
 * origin only; answers only while the caller may answer (the database says so).
 */
export const POST: APIRoute = async ({ request, url, params, cookies, locals, clientAddress }) => {
  const origin = request.headers.get('origin');
  if (origin !== url.origin) return privateJson({ error: 'forbidden' }, 403);
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (!Number.isFinite(length) || length > 512 * 1024) return privateJson({ error: 'content_too_large' }, 413);
  const questionnaireId = params['questionnaireId'] ?? '';
  if (!/^[0-9a-f-]{36}$/.test(questionnaireId)) return privateJson({ error: 'not_found' }, 404);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return privateJson({ error: 'bad_request' }, 400);
  }
  const page = Number.parseInt(String(form.get('page') ?? '1'), 10);
  const visitorToken = locals.claims ? null : (readVisitorToken(cookies) ?? ensureVisitorToken(cookies, url));
  const result = await answerForm(locals.claims, {
    questionnaireId,
    page: Number.isInteger(page) ? page : 1,
    intent: 'save',
    fields: fieldValues(form),
    visitorToken,
    termsAccepted: false,
    locale: locals.locale,
    clientAddress,
  });
  if (!result.ok) return privateJson({ error: result.failure.message.key }, result.failure.status);
  return privateJson({ saved: true });
};
