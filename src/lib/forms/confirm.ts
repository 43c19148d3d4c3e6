import { z } from 'zod';

/**
 * Destructive actions (delete a comment, a draft, a phase, a component; remove a role) run only
 * when the form says the person confirmed: `confirm=yes`. Without JavaScript that is the required
 * "Je confirme" box next to the button; with JavaScript a dialog asks and ticks it
 * (src/components/ui/ConfirmSubmit.astro). A post without it changes nothing.
 */
export const CONFIRM_FIELD = 'confirm';
export const CONFIRM_VALUE = 'yes';

export const confirmInput = z.literal(CONFIRM_VALUE, { message: 'validation.confirm' });

/** The action's input schema, plus the required confirmation. */
export function confirmed<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  return schema.extend({ confirm: confirmInput });
}
