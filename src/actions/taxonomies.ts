import { defineAction } from 'astro:actions';
import { createTaxonomy } from '@/features/taxonomies/create-taxonomy.server.ts';
import { deleteTaxonomy } from '@/features/taxonomies/delete-taxonomy.server.ts';
import { createTaxonomyInput, deleteTaxonomyInput, updateTaxonomyInput } from '@/features/taxonomies/taxonomies.ts';
import { updateTaxonomy } from '@/features/taxonomies/update-taxonomy.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/** Admin actions on taxonomies (organization admins; RLS decides). */
export const taxonomies = {
  create: defineAction({ accept: 'form', input: createTaxonomyInput, handler: async (i, c) => unwrap(await createTaxonomy(c.locals.claims, i)) }),
  update: defineAction({ accept: 'form', input: updateTaxonomyInput, handler: async (i, c) => unwrap(await updateTaxonomy(c.locals.claims, i)) }),
  delete: defineAction({ accept: 'form', input: confirmed(deleteTaxonomyInput), handler: async (i, c) => unwrap(await deleteTaxonomy(c.locals.claims, i)) }),
};
