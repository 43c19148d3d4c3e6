import { describe, expect, it } from 'vitest';
import { stack } from './helpers.ts';

describe('open data page', () => {
  it('is linked from every page footer and links to files that download', async () => {
    for (const [locale, title] of [['fr', 'Données ouvertes'], ['en', 'Open data']] as const) {
      const home = await (await fetch(`${stack().siteUrl}/${locale}/`)).text();
      expect(home).toContain(`href="/${locale}/open-data"`);
      const res = await fetch(`${stack().siteUrl}/${locale}/open-data`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<h1>${title}</h1>`);
      for (const [file, type] of [['proposals.csv', 'text/csv'], ['proposals.json', 'application/json']] as const) {
        expect(html).toContain(`href="/open-data/${file}"`);
        const download = await fetch(`${stack().siteUrl}/open-data/${file}`);
        expect(download.status).toBe(200);
        expect(download.headers.get('content-type')).toContain(type);
      }
    }
  });
});
