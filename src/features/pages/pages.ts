import { z } from 'zod';
import { translatedInput, uuidInput } from '../../lib/forms/fields.ts';

/** The page body: translated rich text, sanitised against the allow-list before it is stored. */
export const updatePageInput = z.object({
  component_id: uuidInput,
  body: translatedInput({ rich: true }),
});
export type UpdatePageInput = z.infer<typeof updatePageInput>;
