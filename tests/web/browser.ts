import { chromium, type Browser } from 'playwright-core';

/*
 * Headless Chromium for the browser tests (/usr/bin/chromium, or CHROMIUM_PATH), quiet: no
 * background networking, updates or sync. `webgl: true` renders WebGL without a GPU (SwiftShader
 * through ANGLE), for the map; otherwise the GPU is off.
 */

const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGL = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];

export function launchChromium(opts: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', ...(opts.webgl ? WEBGL : ['--disable-gpu']), ...QUIET],
  });
}
