/** Texts of the pages feature, in French (the reference: en.ts must have exactly these keys). */
export const fr = {
  'pages.empty': 'Cette page n’a pas encore de contenu.',
  'pages.updatedAt': 'Mise à jour le {date}',
  'pages.announcement': 'Annonce',
  'pages.admin.title': 'Contenu de la page',
  'pages.admin.intro':
    'Le contenu accepte du HTML simple : paragraphes (<p>), titres (<h2>, <h3>), gras, italique, listes, citations et liens. Tout le reste (scripts, styles, attributs) est retiré à l’enregistrement.',
  'pages.admin.body': 'Contenu ({language})',
  'pages.admin.submit': 'Enregistrer le contenu',
  'pages.admin.view': 'Voir la page',
} as const;
