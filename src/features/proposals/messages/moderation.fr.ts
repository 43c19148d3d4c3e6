/**
 * Texts of the proposals part of a space's moderation queue, in French (the reference:
 * moderation.en.ts has exactly these keys). The proposals catalog merges them.
 */
export const moderationFr = {
  'proposals.moderation.title': 'Propositions signalées ou masquées',
  'proposals.moderation.empty': 'Aucune proposition signalée ou masquée dans cet espace.',
  'proposals.moderation.proposal': 'Proposition',
  'proposals.moderation.reportsCol': 'Signalements',
  'proposals.moderation.reports.one': '{count} signalement',
  'proposals.moderation.reports.other': '{count} signalements',
  'proposals.moderation.reasons': 'Motifs : {list}',
  'proposals.moderation.reason.spam': 'contenu indésirable ({count})',
  'proposals.moderation.reason.offensive': 'contenu offensant ({count})',
  'proposals.moderation.reason.does_not_belong': 'hors sujet ({count})',
  'proposals.moderation.state': 'État',
  'proposals.moderation.visible': 'Visible',
  'proposals.moderation.hiddenState': 'Masquée',
  'proposals.moderation.notAnswered': 'Sans réponse',
  'proposals.moderation.actions': 'Actions',
  'proposals.moderation.hide': 'Masquer',
  'proposals.moderation.unhide': 'Rendre visible',
  'proposals.moderation.draftsTitle': 'Brouillons collaboratifs signalés ou masqués',
  'proposals.moderation.draftsEmpty': 'Aucun brouillon collaboratif signalé ou masqué dans cet espace.',
  'proposals.moderation.draft': 'Brouillon',
  'proposals.moderation.hiddenDraft': 'Masqué',
  'proposals.moderation.draftState.open': 'Ouvert',
  'proposals.moderation.draftState.withdrawn': 'Retiré',
  'proposals.moderation.draftState.published': 'Publié',
  'proposals.moderation.hideDraft': 'Masquer le brouillon',
  'proposals.moderation.unhideDraft': 'Rendre le brouillon visible',
};
