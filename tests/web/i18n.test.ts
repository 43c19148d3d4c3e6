import { describe, expect, it } from 'vitest';
import { Browser } from './helpers.ts';

describe('locales in the URL', () => {
  it('`/` goes to French by default', async () => {
    const page = await new Browser().get('/');
    expect(page.status).toBe(302);
    expect(page.location).toBe('/fr/');
    expect(page.headers.get('vary')).toMatch(/Accept-Language/);
  });

  it('`/` follows Accept-Language when it prefers English', async () => {
    const b = new Browser();
    expect((await b.get('/', { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' })).location).toBe('/en/');
    expect((await b.get('/', { 'accept-language': 'de-DE,de;q=0.9,fr;q=0.8,en;q=0.7' })).location).toBe('/fr/');
    expect((await b.get('/', { 'accept-language': 'de-DE' })).location).toBe('/fr/');
  });

  it('French by default, English at /en, <html lang> matches', async () => {
    const b = new Browser();
    const fr = await b.get('/fr/');
    expect(fr.status).toBe(200);
    expect(fr.lang).toBe('fr');
    expect(fr.text).toContain('Ville de Belleville-sur-Loire');
    expect(fr.text).toContain('Bienvenue sur la plateforme de participation citoyenne');
    expect(fr.text).toContain('Se connecter');
    expect(fr.text).toContain("S'inscrire");
    expect(fr.text).toContain('Accessibilité');

    const en = await b.get('/en/');
    expect(en.status).toBe(200);
    expect(en.lang).toBe('en');
    expect(en.text).toContain('City of Belleville-sur-Loire');
    expect(en.text).toContain('Welcome to the citizen participation platform');
    expect(en.text).toContain('Sign in');
    expect(en.text).toContain('Sign up');
    expect(en.text).not.toContain('Se connecter');
  });

  it('the language switcher keeps the current page', async () => {
    const page = await new Browser().get('/fr/sign-in');
    expect(page.html).toContain('href="/en/sign-in"');
    expect(page.html).toMatch(/hreflang="en"/);
    const en = await new Browser().get('/en/forgot-password');
    expect(en.html).toContain('href="/fr/forgot-password"');
  });

  it('the frame has landmarks, a skip link and the organization contact', async () => {
    const page = await new Browser().get('/fr/');
    expect(page.html).toMatch(/<a class="skip-link" href="#main"[^>]*>Aller au contenu principal<\/a>/);
    expect(page.html).toContain('<header');
    expect(page.html).toMatch(/<nav[^>]*aria-label="Navigation principale"/);
    expect(page.html).toContain('<main id="main"');
    expect(page.html).toContain('<footer');
    expect(page.html).toContain('mailto:participation@demo.decidons.fr');
    expect(page.html).toContain('href="/fr/accessibility"');
  });

  it('the accessibility statement exists in both languages', async () => {
    const fr = await new Browser().get('/fr/accessibility');
    expect(fr.text).toContain("Déclaration d'accessibilité");
    expect(fr.text).toContain('RGAA');
    const en = await new Browser().get('/en/accessibility');
    expect(en.text).toContain('Accessibility statement');
  });

  it('unknown pages are a bilingual 404', async () => {
    const fr = await new Browser().get('/fr/nulle-part');
    expect(fr.status).toBe(404);
    expect(fr.lang).toBe('fr');
    expect(fr.text).toContain('Page introuvable');
    const en = await new Browser().get('/en/nowhere');
    expect(en.status).toBe(404);
    expect(en.lang).toBe('en');
    expect(en.text).toContain('Page not found');
    const bad = await new Browser().get('/zz/sign-in', { 'accept-language': 'en' });
    expect(bad.status).toBe(404);
    expect(bad.lang).toBe('en');
  });
});
