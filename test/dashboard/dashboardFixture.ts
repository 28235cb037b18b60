import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { getEdition } from '../../core/matrix/editions/index.js';
import { servicesFrom, setServicesForTesting, type Services } from '../../core/runtime/services.js';
import { functionAppRoutes, startLocalApiServer, type LocalApiServer } from '../../scripts/localApiServer.js';
import { startLocalAzurite, type LocalAzurite } from '../../scripts/localAzurite.js';
import { loadDashboardSample } from '../../scripts/dashboardSample.js';
import { freshTableName } from '../helpers/azurite.js';

export const KEY = 'dashboard-test-key';

/** The handlers' services on a table of this Azurite; `connectionString` other than Azurite's makes a broken store. */
export function installServices(connectionString: string, table: string): Services {
  const services = servicesFrom(
    {
      storage: { kind: 'connectionString', connectionString },
      findingsTable: table,
      edition: getEdition('2026-03'),
      armEndpoint: 'http://127.0.0.1:1',
      sweep: { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 240_000 },
    },
    {
      credential: async () => {
        throw new Error('no credential in tests');
      },
    },
  );
  setServicesForTesting(services);
  return services;
}

export interface DashboardFixture {
  azurite: LocalAzurite;
  server: LocalApiServer;
  browser: Browser;
  table: string;
  /** GET <api><path> with the key, parsed. */
  api<T = unknown>(path: string): Promise<T>;
  /** A fresh tab on `query` (the key is added), waited until every section has loaded or failed. */
  open(query?: string, options?: { width?: number; scheme?: 'light' | 'dark' }): Promise<Page>;
}

/**
 * One Azurite with the bundled sample fleet checked into it (the CLI's `check samples --store`, as `npm start` does,
 * and one failed alert delivery: scripts/dashboardSample.ts),
 * the Function App's HTTP functions behind a local server with a function key, and one headless Chromium (from the
 * @sparticuz/chromium package: nothing is downloaded) for the test file.
 */
export function useDashboard(): DashboardFixture {
  const fixture = {} as DashboardFixture;
  beforeAll(async () => {
    fixture.azurite = await startLocalAzurite();
    fixture.table = freshTableName();
    await loadDashboardSample(fixture.azurite.connectionString, fixture.table);
    installServices(fixture.azurite.connectionString, fixture.table);
    fixture.server = await startLocalApiServer({ routes: await functionAppRoutes(), functionKey: KEY });
    fixture.browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
    fixture.api = async <T>(path: string) => {
      const response = await fetch(`${fixture.server.apiUrl}${path}`, { headers: { 'x-functions-key': KEY } });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return (await response.json()) as T;
    };
    fixture.open = async (query = '', options = {}) => {
      const page = await fixture.browser.newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: options.scheme ?? 'light' }]);
      await page.setViewport({ width: options.width ?? 1280, height: 900 });
      await page.goto(`${fixture.server.apiUrl}dashboard?code=${KEY}${query ? `&${query}` : ''}`, { waitUntil: 'load' });
      await settled(page);
      return page;
    };
  }, 120_000);
  afterAll(async () => {
    setServicesForTesting(null);
    await fixture.browser?.close();
    await fixture.server?.close();
    await fixture.azurite?.close();
  });
  return fixture;
}

/** The page says when every section has loaded (`ready`) or one failed (`error`). */
export async function settled(page: Page): Promise<string> {
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', { timeout: 20_000 });
  return page.evaluate(() => document.body.dataset.state ?? '');
}
