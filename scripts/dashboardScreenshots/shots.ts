import chromium from '@sparticuz/chromium';
import { mkdir } from 'node:fs/promises';
import puppeteer from 'puppeteer-core';
import { loadDashboardSample } from '../dashboardSample.js';
import { functionAppRoutes, startLocalApiServer } from '../localApiServer.js';
import { startLocalAzurite } from '../localAzurite.js';

/** What the README shows: the fleet view and one VM, each at a desktop and a phone width; and the whole fleet view. */
const SHOTS = [
  { file: 'fleet-desktop-light.png', width: 1280, height: 1100, scheme: 'light', vm: false },
  { file: 'fleet-desktop-full-dark.png', width: 1280, height: 1100, scheme: 'dark', vm: false, fullPage: true },
  { file: 'fleet-phone-dark.png', width: 375, height: 812, scheme: 'dark', vm: false },
  { file: 'vm-desktop-dark.png', width: 1280, height: 1100, scheme: 'dark', vm: true },
  { file: 'vm-phone-light.png', width: 375, height: 812, scheme: 'light', vm: true },
] as { file: string; width: number; height: number; scheme: 'light' | 'dark'; vm: boolean; fullPage?: boolean }[];
const OUT = 'docs/images/dashboard';
/** A VM of the sample fleet with a mix of restore outcomes. */
const SAMPLE_VM = 'vm-erp-legacy-01';
const KEY = 'screenshot-key';

const azurite = await startLocalAzurite();
try {
  await loadDashboardSample(azurite.connectionString);
  process.env.FINDINGS_STORAGE = azurite.connectionString;
  delete process.env.FINDINGS_TABLE;
  const server = await startLocalApiServer({ routes: await functionAppRoutes(), functionKey: KEY });
  const browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
  try {
    await mkdir(OUT, { recursive: true });
    const page = await browser.newPage();
    const base = `${server.apiUrl}dashboard?code=${KEY}`;
    await page.goto(base, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.state !== 'loading');
    const vmHref = await page.$$eval('#vms tbody th a', (links, name) => links.find((a) => a.textContent === name)?.getAttribute('href') ?? '', SAMPLE_VM);
    const vmQuery = new URL(vmHref, base).searchParams.toString();
    for (const shot of SHOTS) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: shot.scheme }]);
      await page.setViewport({ width: shot.width, height: shot.height, deviceScaleFactor: shot.width < 600 ? 2 : 1 });
      await page.goto(shot.vm ? `${base}&${vmQuery}` : base, { waitUntil: 'load' });
      const state = await page.waitForFunction(() => document.body.dataset.state !== 'loading').then(() => page.evaluate(() => document.body.dataset.state));
      if (state !== 'ready') throw new Error(`${shot.file}: the page says ${state}`);
      await page.screenshot({ path: `${OUT}/${shot.file}`, fullPage: shot.fullPage === true });
      process.stdout.write(`wrote ${OUT}/${shot.file}\n`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await azurite.close();
}
