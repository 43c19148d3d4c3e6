import { accounts } from './accounts.ts';
import { attachments } from './attachments.ts';
import { blog } from './blog.ts';
import { budgets } from './budgets.ts';
import { comments } from './comments.ts';
import { components } from './components.ts';
import { debates, debatesAdmin } from './debates.ts';
import { forms } from './forms.ts';
import { maps } from './maps.ts';
import { newsletters } from './newsletters.ts';
import { notifications } from './notifications.ts';
import { organization } from './organization.ts';
import { pages } from './pages.ts';
import { proposalsAdmin } from './proposals-admin.ts';
import { proposalDrafts } from './proposals-drafts.ts';
import { proposals } from './proposals.ts';
import { spaces } from './spaces.ts';
import { surveys } from './surveys.ts';
import { taxonomies } from './taxonomies.ts';
import { verifications } from './verifications.ts';

/** Every Astro Action, one key per feature (`actions.accounts.signUp`). */
export const server = { accounts, spaces, components, pages, taxonomies, organization, comments, proposals, proposalsAdmin, proposalDrafts, forms, surveys, debates, debatesAdmin, notifications, blog, newsletters, attachments, maps, budgets, verifications };
