import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

export interface Page {
  body: TranslatedText;
  updatedAt: Date | null;
}

/** The page of a pages component, as the visitor may see it (RLS: visible components only). */
export async function getPage(claims: Claims | null, componentId: string): Promise<Page> {
  const [row] = await asUser(
    claims,
    (tx) => tx<{ body: TranslatedText; updated_at: Date }[]>`select body, updated_at from public.pages where component_id = ${componentId}`,
  );
  return row ? { body: row.body, updatedAt: row.updated_at } : { body: {}, updatedAt: null };
}
