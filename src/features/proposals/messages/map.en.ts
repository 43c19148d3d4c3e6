import type { SameKeys } from '@/lib/i18n/catalog.ts';
import type { mapFr } from './map.fr.ts';

/** Texts of the proposals map, in English: exactly the French keys. */
export const mapEn = {
  'proposals.map.region': 'Map of the proposals',
  'proposals.map.cluster': '{count} proposals',
  'proposals.map.open': 'Open the proposal',
  'proposals.map.close': 'Close',
  'proposals.map.zoomIn': 'Zoom in',
  'proposals.map.zoomOut': 'Zoom out',
  'proposals.map.canvas': 'Interactive map: arrow keys to move, + and − to zoom',
  'proposals.map.show': 'Show the map',
  'proposals.map.points.one': '{count} proposal on the map.',
  'proposals.map.points.other': '{count} proposals on the map.',
  'proposals.map.legend': 'Map legend',
  'proposals.map.legend.none': 'No answer yet',
  'proposals.map.legend.cluster': 'Nearby proposals grouped (their number): click to zoom in',
  'proposals.map.noscript': 'The map needs JavaScript. The list of proposals is still available.',
} as const satisfies SameKeys<typeof mapFr>;
