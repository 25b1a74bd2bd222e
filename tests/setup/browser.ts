/** Debian's Chromium driven by playwright-core, headless with WebGL through SwiftShader. */
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './projects';

export const CHROMIUM = chromiumPath(process.env);

/** Headless Chromium (or, given its path, Debian's chromium-headless-shell) with software WebGL. */
export function launchBrowser(executablePath = CHROMIUM): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
}
