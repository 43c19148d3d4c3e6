import { toActionError, type Result } from '@/lib/forms/index.ts';

/** A use case's refusal becomes an ActionError whose status is the page's status. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toActionError(result.failure);
  return result.value;
}
