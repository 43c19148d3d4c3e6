import { defineManifest } from '../../lib/components/manifest.ts';
import { surveysNotificationKinds } from './notifications.ts';

/**
 * `surveys`: one questionnaire per component (Decidim's decidim-surveys), built on the forms
 * library (src/features/forms): every question type, display conditions, one submission per
 * person or per browser, anonymous when the phase says so, live results for the admins and,
 * when published, for everyone. Per phase: answers allowed, unregistered visitors allowed (one
 * per browser, rate-limited), anonymous answers, terms to accept; the survey's own dates bound
 * the answers further; answering may require a verification (the component's permissions).
 */
export const surveysManifest = defineManifest({
  key: 'surveys',
  icon: 'M9 5h10M9 12h10M9 19h10M4 5h.01M4 12h.01M4 19h.01',
  name: { fr: 'Questionnaire', en: 'Survey' },
  description: {
    fr: 'Un questionnaire : questions ouvertes, choix, classements, matrices, échelles ; résultats en direct.',
    en: 'A survey: open questions, choices, rankings, matrices, scales; live results.',
  },
  actions: [
    {
      name: 'answer',
      label: { fr: 'Répondre', en: 'Answer' },
      phaseEnabledSetting: 'allow_answers',
      verifiable: true,
    },
  ],
  settings: {
    global: {
      announcement: {
        type: 'translated',
        rich: true,
        maxLength: 5000,
        label: { fr: 'Annonce', en: 'Announcement' },
        hint: {
          fr: 'Affichée en haut du questionnaire, quelle que soit la phase.',
          en: 'Shown at the top of the survey, whatever the phase.',
        },
      },
    },
    phase: {
      allow_answers: {
        type: 'boolean',
        default: false,
        label: { fr: 'Réponses ouvertes pendant cette phase', en: 'Answers open during this phase' },
      },
      allow_unregistered: {
        type: 'boolean',
        default: false,
        label: { fr: 'Réponses sans compte (une par navigateur)', en: 'Answers without an account (one per browser)' },
        hint: {
          fr: 'Les visiteurs non connectés peuvent répondre, une fois par navigateur, avec un nombre limité de réponses par connexion et par heure. Leurs réponses sont anonymes.',
          en: 'Signed-out visitors may answer, once per browser, with a limited number of answers per connection and hour. Their answers are anonymous.',
        },
      },
      anonymous: {
        type: 'boolean',
        default: false,
        label: { fr: 'Réponses anonymes', en: 'Anonymous answers' },
        hint: {
          fr: 'Les réponses sont enregistrées sans la personne ; chacun ne répond toujours qu’une fois.',
          en: 'Answers are stored without the person; everyone still answers only once.',
        },
      },
      terms: {
        type: 'translated',
        rich: true,
        maxLength: 10000,
        label: { fr: 'Conditions à accepter avant de répondre', en: 'Terms to accept before answering' },
        hint: {
          fr: 'Laissez vide pour ne rien demander. HTML simple accepté.',
          en: 'Leave empty to ask nothing. Simple HTML accepted.',
        },
      },
      announcement: {
        type: 'translated',
        rich: true,
        maxLength: 5000,
        label: { fr: 'Annonce pendant cette phase', en: 'Announcement during this phase' },
      },
    },
  },
  notifications: surveysNotificationKinds,
  // In the one search (…040400_surveys_search.sql): the survey is its component's page.
  resources: [{ type: 'survey', can: ['logged', 'exported'], search: { label: { fr: 'Questionnaires', en: 'Surveys' } } }],
  logLabels: { surveys: { fr: 'Dates du questionnaire', en: 'Survey dates' } },
  openData: [
    {
      key: 'survey_results',
      label: { fr: 'Résultats publiés des questionnaires', en: 'Published survey results' },
      hint: {
        fr: 'Une ligne par question et par option, avec le nombre de réponses (questions dont les résultats sont publiés).',
        en: 'One line per question and option, with the number of answers (questions whose results are published).',
      },
      load: () => import('./open-data.server.ts'),
    },
  ],
  stats: [
    {
      key: 'survey_answers',
      label: { fr: 'Réponses aux questionnaires', en: 'Survey answers' },
      count: async (tx, ids) => {
        // The counts the public may read: published results only (form_results answers null otherwise).
        const [row] = await tx<{ n: number }[]>`
          select coalesce(sum((public.form_results(q.id) ->> 'responses')::int), 0)::int as n
          from public.form_questionnaires q
          where q.owner_type = 'survey' and q.owner_id = any(${ids as string[]}::uuid[])`;
        return row?.n ?? 0;
      },
    },
  ],
  publicPage: () => import('./PublicPage.astro'),
  adminPage: () => import('./AdminPage.astro'),
});
