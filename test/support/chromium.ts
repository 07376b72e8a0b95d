import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's chromium, driven by playwright-core: pages and the player are tested in a real browser.
export const CHROMIUM = process.env.LENS_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[browser] ${CHROMIUM} is absent: browser tests are skipped (apt-get install chromium).`);

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
