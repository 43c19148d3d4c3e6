import { budgets } from './budgets.ts';
import { accounts } from './accounts.ts';
import { comments } from './comments.ts';
import { components } from './components.ts';
import { organization } from './organization.ts';
import { pages } from './pages.ts';
import { proposals } from './proposals.ts';
import { proposalsAdmin } from './proposals-admin.ts';
import { spaces } from './spaces.ts';
import { taxonomies } from './taxonomies.ts';
import { verifications } from './verifications.ts';

/** Every Astro Action, one key per feature (`actions.accounts.signUp`). */
export const server = { accounts, spaces, components, pages, taxonomies, organization, comments, proposals, proposalsAdmin, budgets, verifications };
