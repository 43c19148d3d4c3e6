import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { PresencePreferenceInput } from './inputs.ts';
import { participate } from './participate.server.ts';

/** Whether the person's name may show when they write an argument (otherwise they are counted anonymously). */
export async function setPresencePreference(claims: Claims | null, input: PresencePreferenceInput): Promise<Result<{ showName: boolean }>> {
  return participate(claims, async (tx) => {
    await tx`
      insert into public.debate_presence_preferences (show_name) values (${input.show_name})
      on conflict (user_id) do update set show_name = excluded.show_name`;
    return { showName: input.show_name };
  });
}
