import type { NotificationFacts, NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/*
 * The budgets feature's notifications (registered by …030100_budgets_notifications.sql). The vote
 * confirmation and the reminder name a budget (not a shared resource): they lead to its page.
 */

const budgetPath = (anchor: string) => (n: NotificationFacts) =>
  typeof n.data['budget_id'] === 'string' ? `budgets/${n.data['budget_id']}${anchor}` : null;

function projects(data: Record<string, unknown>) {
  const n = typeof data['projects_count'] === 'number' ? data['projects_count'] : 0;
  // French counts 0 and 1 as singular, English only 1.
  return { projects: { fr: n <= 1 ? `${n} projet` : `${n} projets`, en: n === 1 ? '1 project' : `${n} projects` } };
}

export const budgetsNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'budgets.project_selected',
    label: { fr: 'Les projets que je suis retenus par le vote', en: 'The projects I follow selected by the vote' },
    message: { fr: 'Le projet « {title} » est retenu', en: 'The project “{title}” is selected' },
    path: (n) => (typeof n.data['budget_id'] === 'string' && n.resourceId ? `budgets/${n.data['budget_id']}/projects/${n.resourceId}` : null),
  },
  {
    kind: 'budgets.vote_checked_out',
    label: { fr: 'La confirmation de mes votes', en: 'Confirmation of my votes' },
    message: { fr: 'Votre vote pour « {budget} » est enregistré ({projects})', en: 'Your vote in “{budget}” is recorded ({projects})' },
    vars: projects,
    path: budgetPath(''),
  },
  {
    kind: 'budgets.vote_reminder',
    label: { fr: 'Le rappel d’un vote non confirmé', en: 'The reminder of an unconfirmed vote' },
    message: {
      fr: 'Votre vote pour « {budget} » n’est pas encore confirmé : vous avez choisi {projects}, il ne compte qu’une fois confirmé',
      en: 'Your vote in “{budget}” is not confirmed yet: you chose {projects}, it counts only once confirmed',
    },
    vars: projects,
    path: budgetPath('#ballot'),
  },
];
