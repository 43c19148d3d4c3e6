import { defineAction } from 'astro:actions';
import { updateOrganizationInput } from '@/features/organization/organization.ts';
import { updateOrganization } from '@/features/organization/update-organization.server.ts';
import { unwrap } from './unwrap.ts';

/** The organization settings form (organization admins; RLS and column grants decide). */
export const organization = {
  update: defineAction({ accept: 'form', input: updateOrganizationInput, handler: async (i, c) => unwrap(await updateOrganization(c.locals.claims, i)) }),
};
