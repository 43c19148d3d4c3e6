import { accounts } from './accounts.ts';

/** Every Astro Action, one key per feature (`actions.accounts.signUp`). */
export const server = { accounts };
