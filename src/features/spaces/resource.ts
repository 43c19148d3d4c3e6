import type { ResourceDefinition } from '../../lib/components/manifest.ts';

/**
 * Processes and assemblies in the one search (…040100_core_search_spaces.sql): registered as
 * resource types with nothing to take part in through the shared layer; a result links to the
 * space's own page (no component: the search page builds the address from the space).
 */
export const spaceResources: readonly ResourceDefinition[] = [
  { type: 'participatory_process', can: [], search: { label: { fr: 'Processus participatifs', en: 'Participatory processes' } } },
  { type: 'assembly', can: [], search: { label: { fr: 'Assemblées', en: 'Assemblies' } } },
];
