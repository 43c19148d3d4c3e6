import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../supabase/demo-accounts.ts';
import { signUnsubscribe } from '../../src/lib/mail/unsubscribe.ts';
import { launchChromium } from '../web/browser.ts';
import { person, proposalsPlace } from '../proposals/page-fixtures.ts';
import { signedIn, stack, uniqueEmail } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';

/*
 * The accessibility crawl: every page a visitor and a citizen can reach from the home page, and
 * every admin page the organization admin can reach from the dashboard, through axe-core in a real
 * browser, in French and in English: no violation of the WCAG 2.1 A and AA rules.
 *
 * Routes are not listed here: the crawl follows the links it finds (breadth first, same origin,
 * GET pages only), so a new feature's pages join it by being linked. To stay fast it samples: URLs
 * are grouped by the route file of src/pages they match (`/fr/processes/<slug>/f/<uuid>/proposals/<uuid>`
 * is one route however many proposals the seed has), a few of each route are opened, and axe runs
 * on each one that renders a different page (its <main> made of other component blocks: a `pages`
 * component and a proposals list share a route but not a template), at most AXE_PER_ROUTE times.
 * Each page axe reads in French is read in English too, once its islands have hydrated (those that
 * wait to be on screen, like the map, are scrolled to). Then the interactive states that matter:
 * the confirmation dialog of a destructive button, and the map once shown. The seed only: the stack
 * is shared with the other test files, whose data is not followed (see inSeed).
 *
 * Never followed: other origins, sign-out, `?_action=` links (Astro actions), downloads, endpoints
 * (non-.astro route files: CSV/JSON exports, /api/), /auth/ links (one-time tokens).
 * The pages no link leads to (behind a form, error pages) are read by the second describe; the
 * route files nobody read are printed at the end, for whoever adds a page.
 */

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PAGES_DIR = resolve(import.meta.dirname, '../../src/pages');
/** Pages of one route opened to look for links and other templates. */
const OPEN_PER_ROUTE = 3;
/** Different renderings of one route axe reads. */
const AXE_PER_ROUTE = 3;
const MAX_PAGES = 120;

interface Role {
  name: 'visitor' | 'citizen' | 'admin';
  email: string | null;
  start: string;
  /** Which paths (locale removed) this role's crawl covers. */
  scope: (path: string) => boolean;
}

// Léa Dupont: a resident with no role in any space but member of the private assembly (so the
// crawl sees a private space too); not an admin.
const ROLES: Role[] = [
  { name: 'visitor', email: null, start: '/fr/', scope: (p) => !p.startsWith('/admin') },
  { name: 'citizen', email: 'lea.dupont@demo.decidons.fr', start: '/fr/', scope: (p) => !p.startsWith('/admin') },
  { name: 'admin', email: 'admin@demo.decidons.fr', start: '/fr/admin', scope: (p) => p === '/admin' || p.startsWith('/admin/') },
];

// ---------------------------------------------------------------------------------------------
// Routes, from the files of src/pages (Astro's file routing: a static segment wins over a [param]).

interface Route {
  file: string;
  segments: string[];
  page: boolean;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

const ROUTES: Route[] = routeFiles(PAGES_DIR).map((file) => {
  const rel = relative(PAGES_DIR, file).replace(/\.(astro|ts|js)$/, '');
  const segments = rel.split('/').filter((s) => s !== 'index');
  return { file: relative(PAGES_DIR, file), segments, page: file.endsWith('.astro') };
});

const isParam = (s: string) => s.startsWith('[') && s.endsWith(']');

function routeOf(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const matches = ROUTES.filter((r) => {
    if (r.segments.some((s) => s.startsWith('[...'))) return r.segments.length - 1 <= parts.length;
    return r.segments.length === parts.length && r.segments.every((s, i) => isParam(s) || s === parts[i]);
  });
  // Static before dynamic, segment by segment.
  const rank = (r: Route) => r.segments.map((s) => (isParam(s) ? '1' : '0')).join('');
  return matches.sort((a, b) => rank(a).localeCompare(rank(b)))[0];
}

/** An identifier (uuid, number, slug) rather than a word that picks a kind of page (`processes`). */
const IDENTIFIER = /^(?:[0-9a-f-]{36}|\d+|.*[-_\d].*)$/i;

/**
 * The route a URL samples: its route file, with the values of its parameters that are words
 * (`processes`, `assemblies`), and the names (not values) of its query parameters.
 */
function routeKey(url: URL, route: Route | undefined, withQuery = true): string {
  const parts = url.pathname.split('/').filter(Boolean);
  const shape = route
    ? route.segments.map((s, i) => (s === '[locale]' ? '[locale]' : isParam(s) && IDENTIFIER.test(parts[i] ?? '') ? s : (parts[i] ?? s))).join('/')
    : parts.map((p) => (IDENTIFIER.test(p) ? ':id' : p)).join('/');
  const query = withQuery ? [...new Set(url.searchParams.keys())].sort().join('&') : '';
  return `${shape}${query ? `?${query}` : ''}`;
}

// ---------------------------------------------------------------------------------------------

const DOWNLOAD = /\.(csv|json|xml|ics|pdf|zip|txt|geojson)$/i;
const NEVER = /(^|\/)(sign-out|auth|api|dev)(\/|$)/;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The seed's rows have fixed ids of this form (supabase/seed.sql). */
const SEED_ID = /^00000000-0000-4000-/;
let seedSlugs = new Set<string>();

/**
 * Whether a URL shows the seed: the ids in its path are the seed's, its space slug a seeded space's
 * (ids in the query may be rows the seed's triggers made, such as a component's default states). The stack
 * is shared with every other test file, whose spaces, proposals and accounts come and go while the
 * crawl runs; they are not followed (a crawl of the whole suite's data would neither be the same
 * twice nor end in time).
 */
function inSeed(url: URL, route: Route): boolean {
  if ([...decodeURIComponent(url.pathname).matchAll(UUID)].some(([id]) => !SEED_ID.test(id))) return false;
  const parts = url.pathname.split('/').filter(Boolean);
  return route.segments.every((s, i) => s !== '[slug]' || seedSlugs.has(decodeURIComponent(parts[i] ?? '')));
}

function followable(url: URL, origin: string, role: Role): boolean {
  if (url.origin !== origin) return false;
  if (url.searchParams.has('_action')) return false;
  if (DOWNLOAD.test(url.pathname) || NEVER.test(url.pathname)) return false;
  const m = /^\/fr(\/.*)?$/.exec(url.pathname);
  if (!m) return false; // another locale (read in English below) or no locale at all
  const route = routeOf(url.pathname);
  if (!route?.page || !inSeed(url, route)) return false;
  return role.scope((m[1] ?? '').replace(/\/$/, '') || '/');
}

interface Finding {
  url: string;
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
}

async function axe(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const url = page.url();
  const violations = await page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<AxeResult> } }).axe;
    const result = await run.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      // A best practice, not a WCAG rule: two landmarks with one name cannot be told apart.
      rules: { 'landmark-unique': { enabled: true } },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.map((v) => ({ url, ...v }));
}

/** Waits for the islands that hydrate on their own (client:load and client:idle). */
async function settle(page: Page): Promise<void> {
  await page
    .waitForFunction(() => document.querySelectorAll('astro-island[ssr][client="load"], astro-island[ssr][client="idle"]').length === 0, undefined, { timeout: 10_000 })
    .catch(() => undefined);
}

/**
 * Islands that hydrate once on screen (client:visible: the proposals map) are part of what a
 * reader meets: each is scrolled to and given the time to render.
 */
async function wakeVisibleIslands(page: Page): Promise<void> {
  const sleeping = page.locator('astro-island[ssr][client="visible"]');
  const n = await sleeping.count();
  if (n === 0) return;
  for (let i = 0; i < n; i++) await sleeping.nth(i).scrollIntoViewIfNeeded().catch(() => undefined);
  await page.waitForFunction(() => document.querySelectorAll('astro-island[ssr][client="visible"]').length === 0, undefined, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** What a page is made of: the component blocks (`proposal-card`, not `proposal-card__title--x`) in <main>. */
async function template(page: Page): Promise<string> {
  return page.evaluate(() => {
    const blocks = new Set<string>();
    for (const el of document.querySelectorAll('main [class]')) {
      for (const c of el.classList) blocks.add(c.split(/__|--/)[0]!);
    }
    return [...blocks].sort().join(' ');
  });
}

interface CrawlResult {
  role: Role['name'];
  routes: Set<string>;
  opened: number;
  read: Record<'fr' | 'en', string[]>;
  states: string[];
  findings: Finding[];
  errors: string[];
}

async function crawl(chromium: Chromium, role: Role): Promise<CrawlResult> {
  const site = new URL(stack().siteUrl);
  const context: BrowserContext = await chromium.newContext({
    viewport: { width: 1100, height: 900 },
    // axe is injected as an inline script, which the site's Content-Security-Policy rightly refuses.
    bypassCSP: true,
  });
  if (role.email) {
    const b = await signedIn(role.email, DEMO_PASSWORD);
    await context.addCookies([...b.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  }
  const page = await context.newPage();
  const result: CrawlResult = { role: role.name, routes: new Set(), opened: 0, read: { fr: [], en: [] }, states: [], findings: [], errors: [] };
  const queue: string[] = [new URL(role.start, site).toString()];
  const seen = new Set<string>(queue);
  const opened = new Map<string, number>();
  const templates = new Map<string, Set<string>>();
  const stateDone = new Set<string>();

  const open = async (url: string): Promise<number> => {
    const res = await page.goto(url, { waitUntil: 'load' });
    const status = res?.status() ?? 0;
    if (status >= 500) result.errors.push(`${url} → ${status}`);
    await settle(page);
    return status;
  };

  while (queue.length > 0 && result.opened < MAX_PAGES) {
    const url = new URL(queue.shift()!);
    const key = routeKey(url, routeOf(url.pathname));
    if ((opened.get(key) ?? 0) >= OPEN_PER_ROUTE) continue;
    opened.set(key, (opened.get(key) ?? 0) + 1);
    await open(url.toString());
    result.opened++;
    const landed = new URL(page.url());
    if (!followable(landed, site.origin, role)) continue; // redirected out of the crawl (sign-in, another role's page)
    const landedKey = routeKey(landed, routeOf(landed.pathname));
    result.routes.add(landedKey);
    reached.add(routeOf(landed.pathname)!.file);

    const links = await page.$$eval('a[href]:not([download])', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of links) {
      const next = new URL(href);
      next.hash = '';
      const s = next.toString();
      if (!seen.has(s) && followable(next, site.origin, role)) {
        seen.add(s);
        queue.push(s);
      }
    }

    // Renderings are told apart per route file: `?sort=` or `?before=` (the next page) give the
    // same template, `?view=map` another one.
    const pathKey = routeKey(landed, routeOf(landed.pathname), false);
    const shape = await template(page);
    const known = templates.get(pathKey) ?? new Set<string>();
    templates.set(pathKey, known);
    if (known.has(shape) || known.size >= AXE_PER_ROUTE) continue;
    known.add(shape);

    for (const locale of ['fr', 'en'] as const) {
      if (locale === 'en') {
        const en = new URL(landed);
        en.pathname = en.pathname.replace(/^\/fr(\/|$)/, '/en$1');
        await open(en.toString());
      }
      await wakeVisibleIslands(page);
      result.read[locale].push(page.url());
      result.findings.push(...(await axe(page)));
      result.findings.push(...(await interactiveStates(page, `${locale} ${landedKey}`, stateDone, result)));
    }
  }
  await context.close();
  return result;
}

/**
 * The states a page can be in that its HTML alone does not show, each read once per role and
 * locale: the modal confirmation of a destructive button (opened, read, cancelled with Escape,
 * nothing sent), and the map once shown.
 */
async function interactiveStates(page: Page, where: string, done: Set<string>, result: CrawlResult): Promise<Finding[]> {
  const findings: Finding[] = [];
  const locale = where.slice(0, 2);
  const once = (state: string) => {
    const k = `${locale} ${state}`;
    if (done.has(k)) return false;
    done.add(k);
    result.states.push(`${state}: ${page.url()}`);
    return true;
  };
  const confirm = page.locator('button[data-confirm-question]').first();
  if ((await confirm.count()) > 0 && once('confirmation dialog')) {
    // The dialog replaces the "I confirm" box once the page's script has run.
    await page.waitForFunction(() => document.documentElement.classList.contains('js-confirm'), undefined, { timeout: 5_000 });
    await confirm.scrollIntoViewIfNeeded();
    await confirm.click();
    await page.locator('dialog.confirm-dialog[open]').waitFor({ timeout: 5_000 });
    findings.push(...(await axe(page)).map((f) => ({ ...f, url: `${f.url} (confirmation dialog open)` })));
    await page.keyboard.press('Escape');
    await page.locator('dialog.confirm-dialog[open]').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
  }
  const map = page.locator('[data-map-show]:visible').first();
  if ((await map.count()) > 0 && once('map shown')) {
    // The button works once its island has hydrated (the server's copy is replaced then).
    await page.waitForFunction(() => !document.querySelector('astro-island[ssr] [data-map-show]'), undefined, { timeout: 20_000 });
    // A map that loads when it comes into view may start as the click scrolls to its button, and the
    // button goes with the placeholder: either way the map must then become ready.
    await page.locator('[data-map-show]').first().click({ timeout: 5_000 }).catch(async (err: unknown) => {
      if ((await page.locator('.proposals-map[data-map-state="placeholder"]').count()) > 0) throw err;
    });
    await page.waitForSelector('.proposals-map[data-map-ready="true"]', { timeout: 30_000 });
    findings.push(...(await axe(page)).map((f) => ({ ...f, url: `${f.url} (map shown)` })));
  }
  return findings;
}

function report(findings: Finding[]): string {
  return findings.map((f) => `\n  ${f.url}\n    ${f.rule} (${f.impact ?? '?'}): ${f.help}\n      ${f.targets.join('\n      ')}`).join('');
}

let chromium: Chromium;
/** Route files axe read; the others are listed at the end (pages that need a token, or that nobody reaches). */
const reached = new Set<string>();

beforeAll(async () => {
  const spaces = await testDb()<{ slug: string }[]>`select slug from public.spaces where id::text like '00000000-0000-4000-%'`;
  seedSlugs = new Set(spaces.map((r) => r.slug));
  chromium = await launchChromium({ webgl: true });
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await closeTestDb();
  if (reached.size === 0) return;
  const missed = ROUTES.filter((r) => r.page && r.segments[0] === '[locale]' && !reached.has(r.file)).map((r) => r.file);
  console.log(`[a11y] route files axe did not read:\n  ${missed.sort().join('\n  ')}`);
});

// The three crawls at once: each waits on the site as much as on the browser.
describe.concurrent('accessibility crawl (axe-core, WCAG 2.1 A and AA, fr and en)', () => {
  for (const role of ROLES) {
    it(`${role.name}: every page reached from ${role.start}`, async () => {
      const started = Date.now();
      const r = await crawl(chromium, role);
      console.log(
        `[a11y] ${role.name}: ${r.opened} pages opened, ${r.routes.size} routes, axe read ${r.read.fr.length} fr + ${r.read.en.length} en pages` +
          `, states: ${r.states.length} in ${((Date.now() - started) / 1000).toFixed(1)} s\n  routes: ${[...r.routes].sort().join('\n          ')}\n  states: ${r.states.join('\n          ')}`,
      );
      expect(r.errors, 'pages that failed').toEqual([]);
      expect(r.read.fr.length).toBeGreaterThan(role.name === 'admin' ? 5 : 8);
      expect(r.findings.length, `axe violations:${report(r.findings)}`).toBe(0);
    }, 480_000);
  }
});

/*
 * What no link leads to: pages reached through a form (the proposal wizard's steps after
 * "create"), error pages, and the pages a form's errors come back on. A person and a process of
 * their own (not the seed's: other test files count the seed's rows), as in the wizard's tests.
 */
describe('accessibility of the pages behind forms (axe-core, fr and en)', () => {
  async function read(context: BrowserContext, paths: string[], prepare?: (page: Page) => Promise<void>): Promise<{ findings: Finding[]; read: string[] }> {
    const page = await context.newPage();
    const findings: Finding[] = [];
    const read: string[] = [];
    for (const path of paths) {
      for (const locale of ['fr', 'en'] as const) {
        await page.goto(`${stack().siteUrl}${path.replace(/^\/fr(\/|$)/, `/${locale}$1`)}`, { waitUntil: 'load' });
        await settle(page);
        if (prepare) await prepare(page);
        read.push(page.url());
        const route = routeOf(new URL(page.url()).pathname);
        if (route) reached.add(route.file);
        findings.push(...(await axe(page)));
      }
    }
    await page.close();
    return { findings, read };
  }

  async function contextOf(cookies: Map<string, string> | null): Promise<BrowserContext> {
    const context = await chromium.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
    const host = new URL(stack().siteUrl).hostname;
    if (cookies) await context.addCookies([...cookies].map(([name, value]) => ({ name, value, domain: host, path: '/' })));
    return context;
  }

  /** Sends the page's form (browser checks off, so the server's errors show) and waits for the answer. */
  const submitted = (form: string, fields: Record<string, string>) => async (page: Page) => {
    for (const [name, value] of Object.entries(fields)) await page.fill(`${form} [name="${name}"]`, value);
    await page.$eval(form, (f) => ((f as HTMLFormElement).noValidate = true));
    // The form's own submit button, not a Markdown field's Preview (which stays on the page).
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`${form} button[type="submit"]:not([data-preview-button])`)]);
    await settle(page);
    expect(await page.locator('[role="alert"], .error-summary, [aria-invalid="true"]').count(), `errors shown on ${page.url()}`).toBeGreaterThan(0);
  };

  it('a draft through the wizard (complete, publish, edit, its page), the wizard and sign-in with errors, error pages, merging', async () => {
    const place = await proposalsPlace();
    const citizen = await person('Awa Diallo');
    const created = await citizen.browser.post(`${place.list}/proposals/new?_action=proposals.createProposal`, {
      component_id: place.componentId,
      title: 'Des bancs à l’ombre des platanes',
      body: 'Des bancs sous les platanes du mail, pour les après-midi d’été.',
    });
    expect(created.status, 'the draft is created').toBe(303);
    const draft = /\/proposals\/([0-9a-f-]{36})\/complete$/.exec(created.location ?? '')![1]!;

    // Merging starts from the admin's list: two proposals ticked, "merge" (a GET form) shows the merge page.
    const [seeded] = await testDb()<{ space_id: string; id: string }[]>`
      select space_id, id from public.components where feature = 'proposals' and id::text like '00000000-0000-4000-%' order by id limit 1`;
    const adminBrowser = await signedIn('admin@demo.decidons.fr', DEMO_PASSWORD);
    const adminContext = await contextOf(adminBrowser.cookies);
    const merge = async (page: Page) => {
      await page.locator('input[name="ids"]').nth(0).check();
      await page.locator('input[name="ids"]').nth(1).check();
      await Promise.all([page.waitForURL(/\/proposals\/merge\?/), page.click('button[formaction$="/proposals/merge"]')]);
      await settle(page);
    };

    const visitor = await contextOf(null);
    const signedInContext = await contextOf(citizen.browser.cookies);
    const results = await Promise.all([
      read(signedInContext, [`${place.page(draft)}`, `${place.page(draft)}/complete`, `${place.page(draft)}/publish`, `${place.page(draft)}/edit`, '/fr/sign-out', '/fr/admin']),
      // The wizard's first step sent empty: its errors, linked from a summary.
      read(signedInContext, [`${place.list}/proposals/new`], submitted('form[action*="createProposal"]', { title: '', body: '' })),
      read(visitor, ['/fr/reset-password', '/fr/auth/code', '/fr/no-such-page']),
      // An email's unsubscribe link (no sign-in), and the newsletter question on its own page.
      read(visitor, [`/fr/unsubscribe?token=${encodeURIComponent(signUnsubscribe(stack().jwtSecret, { person: citizen.id, scope: 'notifications' }))}`]),
      read(signedInContext, ['/fr/newsletter']),
      read(adminContext, [`/fr/admin/spaces/${seeded!.space_id}/components/${seeded!.id}/manage`], merge),
      // Sign-in refused (an address nobody has): the error and the form again.
      read(visitor, ['/fr/sign-in'], submitted('form[action*="signInWithPassword"]', { email: uniqueEmail('a11y'), password: 'not-the-password' })),
    ]);
    await Promise.all([visitor.close(), signedInContext.close(), adminContext.close()]);
    const findings = results.flatMap((r) => r.findings);
    console.log(`[a11y] behind forms: axe read ${results.reduce((n, r) => n + r.read.length, 0)} pages:\n  ${results.flatMap((r) => r.read).join('\n  ')}`);
    expect(findings.length, `axe violations:${report(findings)}`).toBe(0);
  }, 120_000);

  it('a survey: every page of its form (each question type), a page sent with errors, the preview, its results and its builder', async () => {
    const [survey] = await testDb()<{ id: string; slug: string; space_id: string; matrix: string; conditional: string }[]>`
      select c.id, s.slug, s.id as space_id,
        (select x.id from public.form_questions x join public.form_questionnaires q on q.id = x.questionnaire_id
         where q.owner_id = c.id and x.kind = 'matrix_single' limit 1) as matrix,
        (select x.id from public.form_questions x join public.form_questionnaires q on q.id = x.questionnaire_id
         where q.owner_id = c.id and exists (select 1 from public.form_conditions k where k.question_id = x.id) limit 1) as conditional
      from public.components c join public.spaces s on s.id = c.space_id
      where c.feature = 'surveys' and c.id::text like '00000000-0000-4000-%' order by c.id limit 1`;
    const base = `/fr/processes/${survey!.slug}/f/${survey!.id}`;
    const admin = `/fr/admin/spaces/${survey!.space_id}/components/${survey!.id}`;
    // The live results wait for their charts (drawn once Chart.js has loaded) before axe reads them.
    const charts = async (page: Page) => {
      await page.waitForSelector('[data-form-results][data-charts="on"]', { timeout: 15_000 });
    };
    const citizen = await person('Yasmine Benali');
    const signedInContext = await contextOf(citizen.browser.cookies);
    const adminContext = await contextOf((await signedIn('admin@demo.decidons.fr', DEMO_PASSWORD)).cookies);
    const results = await Promise.all([
      read(signedInContext, [`${base}/answer?page=2`, `${base}/answer?page=3`]),
      read(signedInContext, [`${base}/answer?page=1`], submitted('form[data-form]', {})),
      read(adminContext, [`${base}/answer?preview`, `${admin}/manage`, `${admin}/survey/questions`, `${admin}/survey/questions/${survey!.matrix}`, `${admin}/survey/questions/${survey!.conditional}`]),
      read(adminContext, [`${admin}/survey/results`, base], charts),
    ]);
    await Promise.all([signedInContext.close(), adminContext.close()]);
    const findings = results.flatMap((r) => r.findings);
    console.log(`[a11y] survey: axe read ${results.reduce((n, r) => n + r.read.length, 0)} pages`);
    expect(findings.length, `axe violations:${report(findings)}`).toBe(0);
  }, 120_000);

  it('participatory budgets: a published results page, the admin pages of a budget and a project, refused forms', async () => {
    const component = '/f/00000000-0000-4000-8004-000000000040';
    const space = '/fr/processes/budget-participatif-2027';
    const admin = `/fr/admin/spaces/00000000-0000-4000-8002-000000000001/components/00000000-0000-4000-8004-000000000040`;
    const adminContext = await contextOf((await signedIn('admin@demo.decidons.fr', DEMO_PASSWORD)).cookies);
    const resident = await contextOf((await person('Rémi Résident')).browser.cookies);
    const visitor = await contextOf(null);
    const results = await Promise.all([
      read(visitor, [
        `${space}${component}/budgets/00000000-0000-4000-8030-000000000007/results`,
        `${space}${component}/budgets/00000000-0000-4000-8030-000000000007`,
        `${space}${component}/budgets/00000000-0000-4000-8030-000000000001/projects/00000000-0000-4000-8031-000000000011`,
      ]),
      read(adminContext, [
        `${admin}/manage`,
        `${admin}/budgets/00000000-0000-4000-8030-000000000001`,
        `${admin}/budgets/00000000-0000-4000-8030-000000000007`,
        `${admin}/budgets/00000000-0000-4000-8030-000000000001/projects/00000000-0000-4000-8031-000000000011`,
        `${admin}/budgets/00000000-0000-4000-8030-000000000001/projects/new`,
      ]),
      read(adminContext, [`${admin}/budgets/new`], submitted('form[action*="saveBudget"]', { 'title.fr': '', total_budget: '' })),
      // A resident's census try refused: the message names no field.
      read(resident, ['/fr/verification'], submitted('form[action*="verifyWithCensus"]', { identifier: 'XX-0000', birth_date: '2000-01-01' })),
    ]);
    await Promise.all([visitor.close(), adminContext.close(), resident.close()]);
    const findings = results.flatMap((r) => r.findings);
    console.log(`[a11y] budgets: axe read ${results.reduce((n, r) => n + r.read.length, 0)} pages:\n  ${results.flatMap((r) => r.read).join('\n  ')}`);
    expect(findings.length, `axe violations:${report(findings)}`).toBe(0);
  }, 120_000);
});
