import type { APIRoute } from 'astro';
import { exportTable } from '@/features/forms/export.ts';
import { exportResponses, getQuestionnaire } from '@/features/forms/queries.server.ts';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { surveyAdminContext } from '@/features/surveys/admin/gate.server.ts';
import { surveysCatalog } from '@/features/surveys/messages/index.ts';
import { csvResponse, toCsv } from '@/lib/csv.ts';
import { useTranslations } from '@/lib/i18n/index.ts';

/**
 * A survey's answers for its admins (`?format=csv|json`): one row per submission, one column per
 * question, rankings spelled out; anonymous submissions carry no person, and no export names
 * anyone. RLS reads them (the form's managers only).
 */
export const GET: APIRoute = async (context) => {
  const ctx = await surveyAdminContext(context);
  if (ctx instanceof Response) return ctx;
  const format = context.url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') return new Response('Unknown format', { status: 400 });
  const { claims, locale } = context.locals;
  const [questionnaire, responses, org] = await Promise.all([
    getQuestionnaire(claims, { id: ctx.survey.questionnaireId }),
    exportResponses(claims, ctx.survey.questionnaireId),
    requestOrganization(context.locals),
  ]);
  if (!questionnaire) return new Response('Not found', { status: 404 });
  const t = useTranslations(locale, surveysCatalog);
  const table = exportTable(
    questionnaire,
    responses,
    {
      id: t('surveys.export.id'),
      createdAt: t('surveys.export.createdAt', { zone: org.timeZone }),
      respondent: t('surveys.export.respondent'),
      locale: t('surveys.export.locale'),
      anonymous: t('surveys.export.anonymous'),
      visitor: t('surveys.export.visitor'),
      signedIn: t('surveys.export.signedIn'),
      rank: t('surveys.export.rank'),
    },
    locale,
    org.defaultLocale,
    org.timeZone,
  );
  const name = `survey-${ctx.component.id}`;
  if (format === 'json') {
    return new Response(JSON.stringify(table.rows, null, 2), {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${name}.json"`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  }
  return csvResponse(toCsv(table.columns, table.rows), `${name}.csv`);
};
