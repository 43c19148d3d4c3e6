import { submittedValues } from '../forms/index.ts';

/**
 * The preview of a text written in the Markdown subset (src/components/ui/MarkdownField.astro).
 *
 * Without JavaScript, the field's "Preview" button submits its form back to the page it is on
 * (`formaction`, no Astro action) with `_preview=<field id>`: nothing is saved, the page renders
 * the form again with what was typed and the preview under the field. With JavaScript, the
 * field's script posts the text to `/api/markdown/preview` (same origin only) instead.
 */
export const PREVIEW_PARAM = '_preview';

/** The most characters a preview renders: the longest text a form takes. */
export const PREVIEW_MAX = 60_000;

/** The id of the field whose preview this request asks for (a no-JS "Preview" post), if any. */
export async function previewedField(request: Request): Promise<string | undefined> {
  const v = (await submittedValues(request, [PREVIEW_PARAM], 200))[PREVIEW_PARAM];
  return v && /^[A-Za-z][\w-]*$/.test(v) ? v : undefined;
}

/** The page's own address without an action, where a no-JS preview posts the form back. */
export function previewAction(url: URL, fieldId: string): string {
  const params = new URLSearchParams(url.search);
  params.delete('_action');
  const search = params.toString();
  return `${url.pathname}${search ? `?${search}` : ''}#${fieldId}-preview`;
}
