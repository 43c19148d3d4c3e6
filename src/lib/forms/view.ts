import type { Message } from '../i18n/issues.ts';
import type { FormErrors } from './index.ts';

export interface FormView {
  /** True when the form came back with errors. */
  failed: boolean;
  /** Items for FormErrorSummary: form-level errors, then each field's, linking to the field. */
  summary: { text: string; href?: string }[];
  /** The translated error under a field, if any. */
  error(name: string): string | undefined;
}

/**
 * Prepares a failed form for rendering: every message translated, field errors linked to their
 * inputs (`fields` gives each field's element id and label) for the error summary.
 */
export function formView(
  errors: FormErrors | undefined,
  translate: (m: Message) => string,
  fields: Readonly<Record<string, { id: string; label: string }>>,
): FormView {
  if (!errors) return { failed: false, summary: [], error: () => undefined };
  const summary: FormView['summary'] = errors.form.map((m) => ({ text: translate(m) }));
  for (const [name, messages] of Object.entries(errors.fields)) {
    const first = messages[0];
    if (!first) continue;
    const field = fields[name];
    if (field) summary.push({ text: `${field.label} — ${translate(first)}`, href: `#${field.id}` });
    else summary.push({ text: translate(first) });
  }
  return {
    failed: true,
    summary,
    error: (name) => {
      const m = errors.fields[name]?.[0];
      return m && fields[name] ? translate(m) : undefined;
    },
  };
}
