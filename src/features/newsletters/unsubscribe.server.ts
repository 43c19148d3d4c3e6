import { asServiceRole } from '../../lib/db/index.ts';
import type { UnsubscribeScope } from '../notifications/unsubscribe.server.ts';

/** A letter's unsubscribe link (`newsletter:<id>`): consent withdrawn, counted for that letter. */
export const newsletterUnsubscribeScope: UnsubscribeScope = {
  matches: (scope) => /^newsletter:[0-9a-f-]{36}$/.test(scope),
  apply: async ({ person, scope }) => {
    const letter = scope.slice('newsletter:'.length);
    await asServiceRole('unsubscribe from the newsletter', (tx) => tx`select private.newsletter_unsubscribe(${person}, ${letter}::uuid)`);
  },
};
