import { z } from 'zod';
import { dateInput } from '../../lib/forms/fields.ts';

/** Filters of the action log page (a GET form: bad values are ignored, not errors). */
export const logFiltersInput = z.object({
  actor: z.uuid().optional().catch(undefined),
  space: z.uuid().optional().catch(undefined),
  action: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .catch(undefined),
  from: dateInput.catch(null),
  to: dateInput.catch(null),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type LogFilters = z.infer<typeof logFiltersInput>;

export const LOG_PAGE_SIZE = 50;

/** The action names the log records (log_admin_change): each has a translation. */
export const LOG_ACTIONS = ['insert', 'update', 'delete', 'publish', 'unpublish', 'activate'] as const;
/** The platform's own tables the log records (each named in the admin's messages); features name theirs in their manifests. */
export const LOG_RESOURCES = [
  'spaces',
  'phases',
  'components',
  'space_roles',
  'space_members',
  'space_taxonomies',
  'taxonomies',
  'organization',
  'verifications',
  'census_lines',
] as const;
