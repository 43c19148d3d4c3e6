import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/*
 * Headless Chromium for the browser tests, from npm: `@sparticuz/chromium` ships a headless
 * Chromium inside the package, so a fresh clone needs nothing installed by hand. CHROMIUM_PATH, or
 * a system Chromium, are used only when that package cannot be unpacked (another CPU, say).
 * Not its recommended flags: `--single-process` makes browser contexts share cookies and
 * `--disable-web-security` drops the Origin header (every Astro action then answers 403).
 * Quiet: no background networking, updates or sync. `webgl: true` renders WebGL without a GPU
 * (SwiftShader through ANGLE), for the map; otherwise the GPU is off.
 */

const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGL = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];

let resolved: Promise<string> | undefined;

async function findChromium(): Promise<string> {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) return fromEnv;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return await packaged.executablePath();
  } catch (err) {
    for (const system of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(system)) return system;
    throw new Error(`No Chromium: @sparticuz/chromium could not be unpacked (${String(err)}) and CHROMIUM_PATH is not set`);
  }
}

export async function launchChromium(opts: { webgl?: boolean } = {}): Promise<Browser> {
  resolved ??= findChromium();
  return chromium.launch({
    executablePath: await resolved,
    args: ['--no-sandbox', '--no-zygote', ...(opts.webgl ? WEBGL : ['--disable-gpu']), ...QUIET],
  });
}
