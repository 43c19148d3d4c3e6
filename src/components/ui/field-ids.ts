/**
 * The ids that tie a field's hint and error to its control (or fieldset): `<id>-hint` and
 * `<id>-error` when there is one, and the `aria-describedby` list naming those present.
 */
export function fieldIds(id: string, hint: string | undefined, error: string | undefined) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { hintId, errorId, describedBy };
}
