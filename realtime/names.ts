/**
 * Document names: `<feature>/<resource id>/<field>` (`proposals/0b1c…/draft_body`). The feature
 * registers each (feature, field) kind in its migration (public.collab_document_kinds) with the
 * function that says who may read and write it.
 */

export interface DocumentName {
  name: string;
  feature: string;
  resourceId: string;
  field: string;
}

const NAME = /^([a-z][a-z_]{1,39})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([a-z][a-z_]{1,39})$/;

export function parseDocumentName(name: string): DocumentName | undefined {
  const m = NAME.exec(name);
  return m ? { name, feature: m[1]!, resourceId: m[2]!, field: m[3]! } : undefined;
}

export function documentName(feature: string, resourceId: string, field: string): string {
  const name = `${feature}/${resourceId}/${field}`;
  if (!parseDocumentName(name)) throw new Error(`not a document name: ${name}`);
  return name;
}
