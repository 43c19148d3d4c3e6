import { defineManifest } from '../../lib/components/manifest.ts';
import { readSettings } from '../../lib/components/settings.ts';
import { budgetsNotificationKinds } from './notifications.ts';

/**
 * `budgets`: participatory budgets (Decidim's decidim-budgets). A component holds budgets (one
 * per district and one city-wide, say), each with its envelope, its vote rule and its projects;
 * residents fill a ballot within the envelope and check it out; when the vote closes a worker
 * tallies it and the admins confirm the winners. Every rule is the database's
 * (`…060100_budgets*.sql` to `…060300_budgets_results.sql`); the pages only explain them.
 */
export const budgetsManifest = defineManifest({
  key: 'budgets',
  icon: 'M3 7h18v12H3zM3 7l3-4h12l3 4M12 11v4M10 13h4',
  name: { fr: 'Budgets participatifs', en: 'Participatory budgets' },
  description: {
    fr: 'Les habitant·es choisissent, dans la limite de l’enveloppe, les projets que la ville réalisera ; le dépouillement propose les lauréats.',
    en: 'Residents choose, within the envelope, the projects the city will carry out; the tally proposes the winners.',
  },
  actions: [
    // Gated by the per-phase `votes` setting (three values), which the ballot rules read themselves.
    { name: 'vote', label: { fr: 'Voter', en: 'Vote' }, verifiable: true },
    { name: 'comment', label: { fr: 'Commenter', en: 'Comment' }, globalEnabledSetting: 'comments_enabled', phaseBlockedSetting: 'comments_blocked' },
  ],
  settings: {
    global: {
      workflow: {
        type: 'enum',
        values: ['all', 'one', 'district'],
        default: 'all',
        options: {
          all: { fr: 'Voter dans tous les budgets', en: 'Vote in every budget' },
          one: { fr: 'Voter dans un seul budget', en: 'Vote in one budget only' },
          district: { fr: 'Voter dans le budget de son quartier (et les budgets de toute la ville)', en: 'Vote in the budget of one’s district (and the city-wide ones)' },
        },
        label: { fr: 'Qui vote dans quels budgets', en: 'Who votes in which budgets' },
        hint: {
          fr: 'Le quartier vient de la vérification de la personne (recensement ou accord direct).',
          en: 'The district comes from the person’s verification (census or direct grant).',
        },
      },
      default_sort: {
        type: 'enum',
        values: ['random', 'cost_asc', 'cost_desc', 'most_voted'],
        default: 'random',
        options: {
          random: { fr: 'Aléatoire', en: 'Random' },
          cost_asc: { fr: 'Coût croissant', en: 'Lowest cost first' },
          cost_desc: { fr: 'Coût décroissant', en: 'Highest cost first' },
          most_voted: { fr: 'Plus de votes (quand ils sont affichés)', en: 'Most votes (when shown)' },
        },
        label: { fr: 'Tri par défaut des projets', en: 'Default order of projects' },
      },
      geocoding_enabled: { type: 'boolean', default: true, label: { fr: 'Adresse et carte des projets', en: 'Project address and map' } },
      reminder_delay_hours: {
        type: 'integer',
        default: 24,
        min: 0,
        max: 720,
        label: { fr: 'Rappel par courriel d’un vote non confirmé après (heures ; 0 : aucun rappel)', en: 'Email reminder of an unconfirmed vote after (hours; 0: no reminder)' },
      },
      comments_enabled: { type: 'boolean', default: true, label: { fr: 'Commentaires sur les projets', en: 'Comments on projects' } },
      comments_max_length: {
        type: 'integer',
        default: 1000,
        min: 1,
        max: 10000,
        label: { fr: 'Longueur maximale des commentaires (caractères)', en: 'Maximum length of comments (characters)' },
      },
      announcement: {
        type: 'translated',
        rich: true,
        maxLength: 5000,
        label: { fr: 'Annonce', en: 'Announcement' },
        hint: { fr: 'Affichée en haut des budgets, quelle que soit la phase.', en: 'Shown above the budgets, whatever the phase.' },
      },
    },
    phase: {
      votes: {
        type: 'enum',
        values: ['disabled', 'enabled', 'finished'],
        default: 'disabled',
        options: {
          disabled: { fr: 'Vote fermé', en: 'Voting closed' },
          enabled: { fr: 'Vote ouvert', en: 'Voting open' },
          finished: { fr: 'Vote terminé (dépouillement et résultats)', en: 'Voting finished (tally and results)' },
        },
        label: { fr: 'Vote', en: 'Voting' },
        hint: {
          fr: 'Passer à « Vote terminé » lance le dépouillement ; les résultats sont publiés quand vous confirmez les lauréats.',
          en: 'Switching to “Voting finished” starts the tally; results are published once you confirm the winners.',
        },
      },
      show_votes: { type: 'boolean', default: false, label: { fr: 'Afficher le nombre de votes des projets', en: 'Show the projects’ vote counts' } },
      comments_blocked: { type: 'boolean', default: false, label: { fr: 'Commentaires bloqués', en: 'Comments blocked' } },
      announcement: { type: 'translated', rich: true, maxLength: 5000, label: { fr: 'Annonce pendant cette phase', en: 'Announcement during this phase' } },
    },
  },
  notifications: budgetsNotificationKinds,
  resources: [
    {
      type: 'project',
      can: ['commentable', 'followable', 'logged', 'exported', 'attachable'],
      // In the one search (…040700_budgets_search.sql): a project's page is below its budget's.
      search: { label: { fr: 'Projets', en: 'Projects' }, path: (id) => `/projects/${id}`, parentPath: (budgetId) => `/budgets/${budgetId}` },
    },
  ],
  openData: [
    {
      key: 'budgets',
      label: { fr: 'Budgets participatifs : résultats', en: 'Participatory budgets: results' },
      hint: {
        fr: 'Les projets des votes dont les résultats sont publiés : budget, coût, votes, rang et lauréats.',
        en: 'The projects of the votes whose results are published: budget, cost, votes, rank and winners.',
      },
      load: () => import('./open-data.server.ts'),
    },
  ],
  logLabels: {
    budgets: { fr: 'Budget', en: 'Budget' },
    projects: { fr: 'Projet de budget participatif', en: 'Participatory budget project' },
    budget_tallies: { fr: 'Dépouillement d’un budget', en: 'Budget tally' },
  },
  spaceNotice: { key: 'budgets', load: () => import('./space-notice.server.ts') },
  stats: [
    {
      key: 'projects',
      label: { fr: 'Projets soumis au vote', en: 'Projects put to the vote' },
      count: async (tx, ids) => {
        const [row] = await tx<{ n: number }[]>`
          select count(*)::int as n from public.projects p
          join public.budgets b on b.id = p.budget_id and b.imported is null
          where p.component_id = any(${ids as string[]}::uuid[])`;
        return row?.n ?? 0;
      },
    },
  ],
  publicPage: () => import('./PublicPage.astro'),
  adminPage: () => import('./admin/AdminPage.astro'),
  // The "random" order of projects keeps one seed per visitor.
  visitorSeed: true,
});

export const readBudgetsSettings = (stored: unknown) => readSettings(budgetsManifest.settings.global, stored);
export const readBudgetsPhaseSettings = (stored: unknown) => readSettings(budgetsManifest.settings.phase, stored);
export type BudgetsSettings = ReturnType<typeof readBudgetsSettings>;
export type BudgetsPhaseSettings = ReturnType<typeof readBudgetsPhaseSettings>;
