import { z } from 'zod';
import type { ConstraintMap } from '../../lib/forms/db-errors.ts';
import { translatedInput, uuidInput } from '../../lib/forms/fields.ts';

/*
 * Admin forms of components.
 */

export const COMPONENT_NAME_MAX = 200;

export const addComponentInput = z.object({
  space_id: uuidInput,
  feature: z.string().trim().regex(/^[a-z][a-z_]{1,39}$/, { message: 'validation.invalid_choice' }),
  name: translatedInput({ required: true, max: COMPONENT_NAME_MAX }),
});
export type AddComponentInput = z.infer<typeof addComponentInput>;

export const componentRefInput = z.object({ component_id: uuidInput });
export type ComponentRefInput = z.infer<typeof componentRefInput>;

export const publishComponentInput = z.object({ component_id: uuidInput, publish: z.enum(['true', 'false']).transform((v) => v === 'true') });
export type PublishComponentInput = z.infer<typeof publishComponentInput>;

export const moveComponentInput = z.object({ component_id: uuidInput, direction: z.enum(['up', 'down'], { message: 'validation.invalid_choice' }) });
export type MoveComponentInput = z.infer<typeof moveComponentInput>;

/** Statuses the component admin pages announce after a redirect. */
export const COMPONENT_STATUSES = ['added', 'saved', 'published', 'unpublished', 'deleted', 'moved', 'content-saved'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];
export function isComponentStatus(v: unknown): v is ComponentStatus {
  return typeof v === 'string' && (COMPONENT_STATUSES as readonly string[]).includes(v);
}

/** Field names of the configure form: `settings.<name>` and `phase.<phase id or default>.<name>`. */
export const GLOBAL_PREFIX = 'settings.';
export const phasePrefix = (phaseKey: string) => `phase.${phaseKey}.`;
export const DEFAULT_PHASE_KEY = 'default';

export const COMPONENT_CONSTRAINTS: ConstraintMap = {
  components_name_translated: { field: 'name', key: 'validation.required' },
  components_feature_fkey: { field: 'feature', key: 'validation.invalid_choice' },
  components_space_id_fkey: { key: 'validation.invalid_reference' },
  components_settings_object: { key: 'components.validation.settings_too_large' },
  components_phase_settings_object: { key: 'components.validation.settings_too_large' },
};

/** The parts of the configure form with a fixed shape; the settings are read from the manifest. */
export const configureHeadInput = z.object({
  component_id: uuidInput,
  name: translatedInput({ required: true, max: COMPONENT_NAME_MAX }),
});
