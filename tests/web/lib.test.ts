import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../../src/lib/html/sanitize.ts';
import { safeNextPath } from '../../src/lib/http/safe-redirect.ts';
import { createTranslator, interpolate } from '../../src/lib/i18n/catalog.ts';
import { issueMessage } from '../../src/lib/i18n/issues.ts';
import { negotiateLocale, switchLocalePath } from '../../src/lib/i18n/locales.ts';
import { translated } from '../../src/lib/i18n/translated.ts';

/** The pure helpers behind the pages: no server needed. */

describe('safeNextPath', () => {
  it.each([
    ['/fr/account', '/fr/account'],
    ['/fr/account?x=1#y', '/fr/account?x=1#y'],
    ['//evil.example/x', '/f'],
    ['/\\evil.example', '/f'],
    ['https://evil.example/', '/f'],
    ['javascript:alert(1)', '/f'],
    ['/fr/\u0000x', '/f'],
    ['', '/f'],
    [undefined, '/f'],
    ['/' + 'a'.repeat(3000), '/f'],
  ])('%s → %s', (input, expected) => {
    expect(safeNextPath(input, '/f')).toBe(expected);
  });
});

describe('sanitizeHtml', () => {
  it('keeps formatting and checked links, drops everything else', () => {
    expect(sanitizeHtml('<p>Bonjour <strong>à tous</strong></p>')).toBe('<p>Bonjour <strong>à tous</strong></p>');
    // sanitize-html drops a script's content with the tag (the hand-written sanitiser kept it as text).
    expect(sanitizeHtml('<script>alert(1)</script>')).toBe('');
    expect(sanitizeHtml('<p onclick="x()">a</p>')).toBe('<p>a</p>');
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeHtml('<a href="https://example.com/?a=1&b=2">x</a>')).toBe('<a href="https://example.com/?a=1&amp;b=2" rel="nofollow noopener">x</a>');
    expect(sanitizeHtml('<img src=x onerror=alert(1)>')).toBe('');
    expect(sanitizeHtml('1 < 2 & 3 > 2 &amp; ok')).toBe('1 &lt; 2 &amp; 3 &gt; 2 &amp; ok');
    expect(sanitizeHtml('<p><em>open')).toBe('<p><em>open</em></p>');
    // The parser reads a stray </p> as the browser does (an empty paragraph): nothing breaks out.
    expect(sanitizeHtml('</p>stray')).toBe('<p></p>stray');
  });
});

describe('locales', () => {
  it('negotiates from Accept-Language', () => {
    expect(negotiateLocale(undefined)).toBe('fr');
    expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLocale('de,en;q=0.5,fr;q=0.8')).toBe('fr');
    expect(negotiateLocale('fr;q=0,en;q=0.1')).toBe('en');
    expect(negotiateLocale('*')).toBe('fr');
  });

  it('switches the locale and keeps the path', () => {
    expect(switchLocalePath('/fr/account', '?status=x', 'en')).toBe('/en/account?status=x');
    expect(switchLocalePath('/en/', '', 'fr')).toBe('/fr/');
    expect(switchLocalePath('/en', '', 'fr')).toBe('/fr/');
    expect(switchLocalePath('/nowhere', '', 'en')).toBe('/en/');
  });

  it('translated jsonb falls back to the organization default locale', () => {
    expect(translated({ fr: 'Bonjour', en: 'Hello' }, 'en', 'fr')).toBe('Hello');
    expect(translated({ fr: 'Bonjour', en: '' }, 'en', 'fr')).toBe('Bonjour');
    expect(translated({ de: 'Hallo' }, 'en', 'fr')).toBe('Hallo');
    expect(translated(null, 'en', 'fr')).toBe('');
    expect(translated({ fr: 42 }, 'fr', 'fr')).toBe('');
  });

  it('interpolates and falls back to French', () => {
    const t = createTranslator<'a' | 'b'>('en', { fr: { a: 'Bonjour {name}', b: 'Seulement FR' }, en: { a: 'Hello {name}' } as never });
    expect(t('a', { name: 'Léa' })).toBe('Hello Léa');
    expect(t('b')).toBe('Seulement FR');
    expect(t.dynamic('nope', undefined, 'a')).toBe('Hello {name}');
    expect(interpolate('{x} {y}', { x: 1 })).toBe('1 {y}');
  });

  it('maps zod issues to message keys', () => {
    expect(issueMessage({ code: 'invalid_type', input: undefined })).toEqual({ key: 'validation.required' });
    expect(issueMessage({ code: 'too_big', origin: 'string', maximum: 100 })).toEqual({ key: 'validation.too_long', params: { max: 100 } });
    expect(issueMessage({ code: 'custom', message: 'accounts.validation.password_mismatch' })).toEqual({
      key: 'accounts.validation.password_mismatch',
    });
    expect(issueMessage({ code: 'custom', message: 'Invalid input' })).toEqual({ key: 'validation.invalid' });
  });
});
