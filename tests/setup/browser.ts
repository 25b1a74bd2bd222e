/** Debian's Chromium driven by playwright-core, headless with WebGL through SwiftShader. */
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './projects';

export const CHROMIUM = chromiumPath(process.env);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
