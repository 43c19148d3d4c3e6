import { defineManifest } from '../../lib/components/manifest.ts';
import { readSettings } from '../../lib/components/settings.ts';
import { proposalsNotificationKinds } from './notifications.ts';

const onOff = (fr: string, en: string) => ({ type: 'boolean' as const, default: false, label: { fr, en } });

/**
 * `proposals`: citizens' proposals (Decidim's decidim-proposals). The gating of each action is the
 * same as the feature's rows in `public.component_actions` (checked by a test); every limit below
 * is enforced by the database (`…4000_proposals*.sql` to `…4900_proposals_*.sql`), the forms only explain it.
 */
export const proposalsManifest = defineManifest({
  key: 'proposals',
  icon: 'M12 3a6 6 0 0 0-3.5 10.9V17h7v-3.1A6 6 0 0 0 12 3zM9.5 20h5',
  name: { fr: 'Propositions', en: 'Proposals' },
  description: {
    fr: 'Les participant·es déposent des propositions géolocalisées, les soutiennent, les amendent et en débattent ; l’organisation y répond.',
    en: 'Participants submit geolocated proposals, support, amend and discuss them; the organization answers them.',
  },
  actions: [
    { name: 'create', label: { fr: 'Déposer une proposition', en: 'Submit a proposal' }, phaseEnabledSetting: 'creation_enabled', verifiable: true },
    { name: 'vote', label: { fr: 'Soutenir', en: 'Support' }, phaseEnabledSetting: 'votes_enabled', phaseBlockedSetting: 'votes_blocked', verifiable: true },
    { name: 'like', label: { fr: 'Aimer', en: 'Like' }, phaseEnabledSetting: 'likes_enabled', phaseBlockedSetting: 'likes_blocked' },
    { name: 'comment', label: { fr: 'Commenter', en: 'Comment' }, globalEnabledSetting: 'comments_enabled', phaseBlockedSetting: 'comments_blocked' },
    { name: 'amend', label: { fr: 'Amender', en: 'Amend' }, globalEnabledSetting: 'amendments_enabled', phaseEnabledSetting: 'amendment_creation_enabled' },
    {
      name: 'react_to_amendment',
      label: { fr: 'Accepter ou rejeter les amendements', en: 'Accept or reject amendments' },
      globalEnabledSetting: 'amendments_enabled',
      phaseEnabledSetting: 'amendment_reaction_enabled',
    },
    {
      name: 'promote_amendment',
      label: { fr: 'Promouvoir un amendement rejeté', en: 'Promote a rejected amendment' },
      globalEnabledSetting: 'amendments_enabled',
      phaseEnabledSetting: 'amendment_promotion_enabled',
    },
  ],
  settings: {
    global: {
      proposal_limit: {
        type: 'integer', default: 0, min: 0, max: 1000,
        label: { fr: 'Propositions par participant·e (0 : sans limite)', en: 'Proposals per participant (0: no limit)' },
      },
      proposal_length: {
        type: 'integer', default: 500, min: 50, max: 10000,
        label: { fr: 'Longueur maximale d’une proposition (caractères)', en: 'Maximum length of a proposal (characters)' },
      },
      proposal_edit_time: {
        type: 'enum', values: ['limited', 'infinite'], default: 'limited',
        options: { limited: { fr: 'Limitée', en: 'Limited' }, infinite: { fr: 'Sans limite', en: 'No limit' } },
        label: { fr: 'Modification après publication', en: 'Editing after publication' },
      },
      edit_time_minutes: {
        type: 'integer', default: 5, min: 1, max: 525600,
        label: { fr: 'Délai de modification (minutes)', en: 'Editing window (minutes)' },
      },
      vote_limit: {
        type: 'integer', default: 0, min: 0, max: 10000,
        label: { fr: 'Soutiens par participant·e (0 : sans limite)', en: 'Supports per participant (0: no limit)' },
      },
      minimum_votes_per_user: {
        type: 'integer', default: 0, min: 0, max: 10000,
        label: { fr: 'Soutiens minimum avant qu’ils comptent', en: 'Minimum supports per participant before they count' },
      },
      threshold_per_proposal: {
        type: 'integer', default: 0, min: 0, max: 1000000,
        label: { fr: 'Seuil de soutiens par proposition (0 : aucun)', en: 'Support threshold per proposal (0: none)' },
      },
      can_accumulate_votes_beyond_threshold: onOff('Soutiens au-delà du seuil', 'Supports beyond the threshold'),
      geocoding_enabled: { type: 'boolean', default: true, label: { fr: 'Adresse et carte', en: 'Address and map' } },
      attachments_allowed: {
        type: 'boolean', default: false,
        label: { fr: 'Documents et images joints par les auteur·ices', en: 'Documents and images attached by authors' },
        hint: {
          fr: 'Les auteur·ices joignent des fichiers à leurs propositions (10 Mo chacun ; images sans leurs métadonnées).',
          en: 'Authors attach files to their proposals (10 MB each; images without their metadata).',
        },
      },
      official_proposals_enabled: { type: 'boolean', default: true, label: { fr: 'Propositions officielles', en: 'Official proposals' } },
      proposal_answering_enabled: { type: 'boolean', default: true, label: { fr: 'Réponses aux propositions', en: 'Answers to proposals' } },
      publish_answers_immediately: {
        type: 'boolean', default: true,
        label: { fr: 'Publier les réponses immédiatement', en: 'Publish answers immediately' },
        hint: { fr: 'Sinon, les réponses attendent une publication groupée.', en: 'Otherwise answers wait to be published in bulk.' },
      },
      answers_with_costs: onOff('Réponses avec coût et calendrier', 'Answers with cost and schedule'),
      amendments_enabled: onOff('Amendements', 'Amendments'),
      collaborative_drafts_enabled: {
        type: 'boolean', default: false,
        label: { fr: 'Brouillons collaboratifs', en: 'Collaborative drafts' },
        hint: {
          fr: 'Des brouillons que plusieurs personnes écrivent ensemble, en direct, avant de les publier comme une proposition.',
          en: 'Drafts several people write together, live, before publishing them as one proposal.',
        },
      },
      rich_text_editor_in_public_views: {
        type: 'boolean', default: false,
        label: { fr: 'Éditeur de texte enrichi pour les participant·es', en: 'Rich-text editor for participants' },
        hint: {
          fr: 'Le texte des propositions s’écrit avec une barre de mise en forme (gras, italique, listes, citations, liens) au lieu du texte balisé.',
          en: 'Proposal texts are written with a formatting toolbar (bold, italic, lists, quotes, links) instead of marked-up text.',
        },
      },
      comments_enabled: { type: 'boolean', default: true, label: { fr: 'Commentaires activés', en: 'Comments enabled' } },
      comments_max_length: {
        type: 'integer', default: 1000, min: 1, max: 10000,
        label: { fr: 'Longueur maximale des commentaires (caractères)', en: 'Maximum length of comments (characters)' },
      },
      alignment_enabled: onOff('Position dans les commentaires (pour, neutre, contre)', 'Stance in comments (in favour, neutral, against)'),
      default_sort: {
        type: 'enum', values: ['random', 'recent', 'most_voted', 'most_liked', 'most_commented', 'most_followed'], default: 'random',
        options: {
          random: { fr: 'Aléatoire', en: 'Random' },
          recent: { fr: 'Plus récentes', en: 'Most recent' },
          most_voted: { fr: 'Plus soutenues', en: 'Most supported' },
          most_liked: { fr: 'Plus aimées', en: 'Most liked' },
          most_commented: { fr: 'Plus commentées', en: 'Most commented' },
          most_followed: { fr: 'Plus suivies', en: 'Most followed' },
        },
        label: { fr: 'Tri par défaut', en: 'Default order' },
      },
      announcement: {
        type: 'translated', rich: true, maxLength: 5000,
        label: { fr: 'Annonce', en: 'Announcement' },
        hint: { fr: 'Affichée en haut de la liste, quelle que soit la phase.', en: 'Shown above the list, whatever the phase.' },
      },
    },
    phase: {
      creation_enabled: onOff('Dépôt de propositions', 'Submitting proposals'),
      votes_enabled: onOff('Soutiens activés', 'Supports enabled'),
      votes_blocked: onOff('Soutiens bloqués', 'Supports blocked'),
      votes_hidden: onOff('Nombre de soutiens masqué', 'Support counts hidden'),
      likes_enabled: onOff('« J’aime » activés', 'Likes enabled'),
      likes_blocked: onOff('« J’aime » bloqués', 'Likes blocked'),
      comments_blocked: onOff('Commentaires bloqués', 'Comments blocked'),
      amendment_creation_enabled: onOff('Dépôt d’amendements', 'Submitting amendments'),
      amendment_reaction_enabled: onOff('Réponse des auteurs aux amendements', 'Authors answer amendments'),
      amendment_promotion_enabled: onOff('Promotion des amendements rejetés', 'Promoting rejected amendments'),
      amendments_visibility: {
        type: 'enum', values: ['all', 'participants'], default: 'all',
        options: {
          all: { fr: 'Visibles par tout le monde', en: 'Visible to everyone' },
          participants: { fr: 'Visibles par leurs auteurs seulement', en: 'Visible to their authors only' },
        },
        label: { fr: 'Visibilité des amendements', en: 'Amendments visibility' },
      },
      announcement: {
        type: 'translated', rich: true, maxLength: 5000,
        label: { fr: 'Annonce pendant cette phase', en: 'Announcement during this phase' },
      },
    },
  },
  resources: [
    {
      type: 'proposal',
      can: ['commentable', 'likeable', 'followable', 'reportable', 'versioned', 'attachable', 'evaluated', 'moderated', 'logged', 'exported'],
      path: (id) => `proposals/${id}`,
      search: { label: { fr: 'Propositions', en: 'Proposals' } },
    },
    { type: 'collaborative_draft', can: ['commentable', 'followable', 'reportable'] },
  ],
  openData: [
    {
      key: 'proposals',
      label: { fr: 'Propositions', en: 'Proposals' },
      hint: {
        fr: 'Toutes les propositions publiées, avec leur état, la réponse officielle, les soutiens, les « j’aime », le quartier et la position.',
        en: 'Every published proposal, with its state, the official answer, supports, likes, district and location.',
      },
      load: () => import('./open-data.server.ts'),
    },
  ],
  logLabels: {
    proposal_states: { fr: 'État de proposition', en: 'Proposal state' },
    proposal_answers: { fr: 'Réponse à une proposition', en: 'Proposal answer' },
    proposal_evaluators: { fr: 'Évaluateur·rice d’une proposition', en: 'Proposal evaluator' },
  },
  accountSection: { key: 'evaluations', load: () => import('./account-section.server.ts') },
  notifications: proposalsNotificationKinds,
  moderation: {
    key: 'proposals',
    hideAction: 'proposalsAdmin.hideProposal',
    anchor: (id) => `#moderation-proposal-${id}`,
    section: () => import('./admin/ModerationQueue.astro'),
  },
  stats: [
    {
      key: 'proposals',
      label: { fr: 'Propositions', en: 'Proposals' },
      count: async (tx, ids) => {
        const [row] = await tx<{ n: number }[]>`
          select count(*)::int as n from public.proposals
          where component_id = any(${ids as string[]}::uuid[]) and published_at is not null and withdrawn_at is null
            and hidden_at is null and amends_id is null`;
        return row?.n ?? 0;
      },
    },
    {
      key: 'supports',
      label: { fr: 'Soutiens', en: 'Supports' },
      count: async (tx, ids) => {
        // Counts are read through the database's function (the API roles do not select the
        // column); the components whose active phase hides them add nothing, whoever asks.
        const [row] = await tx<{ n: number }[]>`
          select coalesce(sum(s.supports), 0)::int as n
          from private.component_proposal_supports(array(
            select c from unnest(${ids as string[]}::uuid[]) c where not private.votes_hidden(c))) s
          join public.proposals p on p.id = s.proposal_id
          where p.published_at is not null and p.hidden_at is null`;
        return row?.n ?? 0;
      },
    },
  ],
  publicPage: () => import('./PublicPage.astro'),
  adminPage: () => import('./admin/AdminPage.astro'),
  // The "random" order keeps one seed per visitor.
  visitorSeed: true,
});

/** A proposals component's stored settings as values (a missing or invalid one reads as its default). */
export const readProposalsSettings = (stored: unknown) => readSettings(proposalsManifest.settings.global, stored);
/** The active phase's settings of a proposals component, likewise. */
export const readProposalsPhaseSettings = (stored: unknown) => readSettings(proposalsManifest.settings.phase, stored);
export type ProposalsSettings = ReturnType<typeof readProposalsSettings>;
