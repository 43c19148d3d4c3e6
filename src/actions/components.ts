import { defineAction } from 'astro:actions';
import { addComponent } from '@/features/components/add-component.server.ts';
import { addComponentInput, componentRefInput, moveComponentInput, publishComponentInput } from '@/features/components/components.ts';
import { configureComponent } from '@/features/components/configure-component.server.ts';
import { deleteComponent } from '@/features/components/delete-component.server.ts';
import { moveComponent } from '@/features/components/move-component.server.ts';
import { publishComponent } from '@/features/components/publish-component.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/*
 * Admin actions on components. `configure` takes the raw form: its fields are generated from the
 * feature's manifest, and the use case validates them against the manifest's schemas.
 */
export const components = {
  add: defineAction({ accept: 'form', input: addComponentInput, handler: async (i, c) => unwrap(await addComponent(c.locals.claims, i)) }),
  configure: defineAction({ accept: 'form', handler: async (form, c) => unwrap(await configureComponent(c.locals.claims, form)) }),
  publish: defineAction({ accept: 'form', input: publishComponentInput, handler: async (i, c) => unwrap(await publishComponent(c.locals.claims, i)) }),
  move: defineAction({ accept: 'form', input: moveComponentInput, handler: async (i, c) => unwrap(await moveComponent(c.locals.claims, i)) }),
  delete: defineAction({ accept: 'form', input: confirmed(componentRefInput), handler: async (i, c) => unwrap(await deleteComponent(c.locals.claims, i)) }),
};
