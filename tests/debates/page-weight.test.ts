import { afterAll, describe, expect, it } from 'vitest';
import { pageWeight } from '../../bench/page-weight.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb } from '../web/spaces-helpers.ts';

/**
 * The debates' read-only pages within the platform's budget (30 KB of gzipped JavaScript at
 * load, tests/serving/page-weight.test.ts): the list and the lively debate of the seed, whose
 * island speaks Realtime (two channels, presence) with the site's small client, not supabase-js.
 */

const LIST = '/fr/assemblies/conseil-citoyen/f/00000000-0000-4000-8004-000000000020';
const BUDGET = 30 * 1024;
afterAll(() => closeTestDb());

describe('debates pages ship at most 30 KB of gzipped JavaScript at load', () => {
  it.each([
    ['debates list', LIST],
    ['a debate with its columns and presence', `${LIST}/debates/00000000-0000-4000-8010-000000000001`],
  ])('%s', async (_name, path) => {
    const w = await pageWeight(stack().siteUrl, path);
    expect(w.status).toBe(200);
    expect(w.jsGzipBytes, w.assets.map((a) => `${a.url} ${a.gzipBytes}`).join('\n')).toBeLessThanOrEqual(BUDGET);
    expect(w.assets.some((a) => /supabase-js|realtime-js/.test(a.url))).toBe(false);
  });
});
