/**
 * Texts of the proposals map, in French (the reference: map.en.ts has exactly these keys). The
 * proposals catalog merges them; `{count}` is filled in by the island.
 */
export const mapFr = {
  'proposals.map.region': 'Carte des propositions',
  'proposals.map.cluster': '{count} propositions',
  'proposals.map.open': 'Ouvrir la proposition',
  'proposals.map.close': 'Fermer',
  'proposals.map.zoomIn': 'Zoomer',
  'proposals.map.zoomOut': 'Dézoomer',
  'proposals.map.canvas': 'Carte interactive : flèches pour se déplacer, + et − pour zoomer',
  'proposals.map.show': 'Afficher la carte',
  'proposals.map.points.one': '{count} proposition sur la carte.',
  'proposals.map.points.other': '{count} propositions sur la carte.',
  'proposals.map.legend': 'Légende de la carte',
  'proposals.map.legend.none': 'Sans réponse pour l’instant',
  'proposals.map.legend.cluster': 'Propositions proches regroupées (leur nombre) : cliquez pour zoomer',
  'proposals.map.noscript': 'La carte a besoin de JavaScript. La liste des propositions reste disponible.',
} as const;
