/** Open data of the budgets feature: every published tally (see export.server.ts). */
export { openDataResponse } from './export.server.ts';
