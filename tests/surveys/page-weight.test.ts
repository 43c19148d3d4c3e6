import { describe, expect, it } from 'vitest';
import { pageWeight } from '../../bench/page-weight.ts';
import { stack } from '../web/helpers.ts';

/*
 * The seeded survey's page (its form and its live published results) stays within the budget of
 * a read-only page: 30 KB of gzipped JavaScript at load; Chart.js comes later, once the results
 * are on the page.
 */

const SURVEY = '/fr/processes/budget-participatif-2027/f/00000000-0000-4000-8004-000000000030';

describe('the survey page’s weight', () => {
  it('ships at most 30 KB of gzipped JavaScript at load, the charts library only afterwards', async () => {
    const w = await pageWeight(stack().siteUrl, SURVEY);
    expect(w.status).toBe(200);
    expect(w.jsGzipBytes, w.assets.map((a) => `${a.url} ${a.gzipBytes}`).join('\n')).toBeLessThanOrEqual(30 * 1024);
    expect(w.deferred.length).toBeGreaterThan(0);
    console.log(`[survey page] ${w.jsGzipBytes} B of gzipped JS at load; later: ${w.deferred.join(', ')}`);
  });
});
