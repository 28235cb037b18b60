import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { FleetSummary, VmReport } from '../../core/store/findingsReads.js';
import type { VmListItem } from '../../core/store/vmListing.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { functionAppRoutes, startLocalApiServer } from '../../scripts/localApiServer.js';
import { installServices, KEY, settled, useDashboard } from './dashboardFixture.js';

/**
 * The dashboard in a real headless Chromium, served by the Function App's own handlers over the sample fleet.
 * Each check comes with a control showing it can fail.
 */
const dash = useDashboard();

/** The summary tiles as the page shows them. */
const tiles = (page: Page) =>
  page.$$eval('[data-count]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.count!, Number(e.textContent)])));

/** What the tiles must say, from GET /api/summary. */
const expectedTiles = (s: FleetSummary) => ({
  vms: s.vms.total - s.vms.deleted,
  error: s.findings.bySeverity.error,
  warning: s.findings.bySeverity.warning,
  info: s.findings.bySeverity.info,
  exempted: s.findings.byState.exempted,
  unknown: s.findings.byOutcome.unknown,
});

/** The VM names of the VM table, in page order. */
const vmNames = (page: Page) => page.$$eval('#vms tbody th a', (links) => links.map((a) => a.textContent ?? ''));

/** Horizontal overflow: what a phone would scroll sideways for. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the fleet dashboard in a browser', () => {
  it('shows the fleet summary the API gives; a store that moved on is detected (control)', async () => {
    const page = await dash.open();
    expect(await settled(page)).toBe('ready');
    const summary = await dash.api<FleetSummary>('summary');
    expect(summary.findings.bySeverity.error).toBeGreaterThan(0);
    expect(await tiles(page)).toEqual(expectedTiles(summary));
    // The API calls carried the function key, and the host's check would have refused them without it.
    expect(dash.server.requests.filter((r) => r.path === '/api/summary').every((r) => r.keyed && r.status === 200)).toBe(true);
    expect((await fetch(`${dash.server.apiUrl}dashboard`)).status).toBe(401);

    // Control: one more VM with an open error, stored after the page loaded: the page's numbers no longer match.
    const store = FindingsStore.connect({ connectionString: dash.azurite.connectionString }, dash.table);
    const doc = cleanInventory();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    const evaluation = {
      ...evaluateDocument(doc, '2026-03')[0]!,
      vmId: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-late/providers/Microsoft.Compute/virtualMachines/vm-late-01',
      vmName: 'vm-late-01',
    };
    await store.applyEvaluation(evaluation, {
      location: 'westeurope',
      observedAt: new Date().toISOString(),
      trigger: { kind: 'cli' },
      now: new Date().toISOString(),
    });
    const moved = await dash.api<FleetSummary>('summary');
    expect(await tiles(page)).not.toEqual(expectedTiles(moved));
    await page.reload({ waitUntil: 'load' });
    await settled(page);
    expect(await tiles(page)).toEqual(expectedTiles(moved));
    await page.close();
  });

  it('drills down into a VM by keyboard: its findings, restore paths, history and exemptions; another VM differs (control)', async () => {
    const page = await dash.open();
    // The first Tab reaches the skip link, drawn with a visible focus ring (before it, nothing has focus).
    const focused = () =>
      page.evaluate(() => ({
        text: document.activeElement?.textContent ?? '',
        outline: document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : 'none',
      }));
    expect((await focused()).text).not.toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ text: 'Skip to content', outline: 'solid' });
    // Every state badge says its state in words, not only in colour.
    const badges = await page.$$eval('.badge', (els) => els.map((e) => e.textContent ?? ''));
    expect(badges.length).toBeGreaterThan(20);
    expect(badges.filter((b) => !/[A-Za-z]{2,}/.test(b))).toEqual([]);
    const first = await page.$('#vms tbody th a');
    const name = await first!.evaluate((a) => a.textContent);
    await first!.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#vm-title') !== null);
    expect(await settled(page)).toBe('ready');
    const url = new URL(page.url());
    expect(url.searchParams.get('vm')).toMatch(new RegExp(`/virtualMachines/${name}$`));
    expect(url.searchParams.get('code')).toBe(KEY); // a reload must still reach the host
    const [, , sub, , rg, , , , vmName] = url.searchParams.get('vm')!.split('/');
    const report = await dash.api<VmReport>(`vms/${sub}/${rg}/${vmName}`);
    const shown = await page.$$eval('#vm table.findings tbody tr', (rows) =>
      rows.map((r) => `${r.querySelector('th code')?.textContent} ${r.querySelectorAll('td')[0]?.textContent}`),
    );
    expect(shown).toEqual(report.findings.map((f) => `${f.ruleId} ${f.state[0]!.toUpperCase()}${f.state.slice(1)}`));
    const restore = await page.$$eval('#vm table.restore tbody tr', (rows) => rows.map((r) => r.querySelector('td')?.textContent?.trim()));
    const word: Record<string, string> = {
      available: '✔ Available',
      limited: '◐ Limited',
      unavailable: '✖ Unavailable',
      unknown: '? Unknown',
      notApplicable: '– N/A',
    };
    const paths = ['createVm', 'restoreDisks', 'replaceDisks', 'fileRecovery', 'crossRegionRestore', 'crossSubscriptionRestore', 'crossZonalRestore'] as const;
    const shownWord = (m: { status: string; reasons: string[] }) =>
      m.status === 'notApplicable' && m.reasons[0]?.startsWith('cannot be backed up') ? '✖ No backup' : word[m.status];
    expect(restore).toEqual(paths.filter((p) => report.restore[p]).map((p) => shownWord(report.restore[p]!)));
    expect(await page.$$eval('#vm .history li', (items) => items.length)).toBe(report.history.length);
    expect(await page.$eval('#vm', (s) => s.textContent)).toContain('Exemptions');
    // Control: another VM's findings are not what the page shows.
    const other = (await dash.api<{ items: VmListItem[] }>('vms?severity=error')).items.find((v) => v.vmName !== name)!;
    const otherReport = await dash.api<VmReport>(`vms/${other.subscriptionId}/${other.resourceGroup}/${other.vmName}`);
    expect(shown).not.toEqual(otherReport.findings.map((f) => `${f.ruleId} ${f.state[0]!.toUpperCase()}${f.state.slice(1)}`));
    // Back returns to the fleet view.
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#summary-title') !== null);
    await page.close();
  });

  it("takes its filters from the URL, and puts the form's into it without the key; no filter shows more (control)", async () => {
    const rule = 'consistency.linux-file-consistent';
    const page = await dash.open(`rule=${rule}`);
    const expected = (await dash.api<{ items: VmListItem[] }>(`vms?rule=${rule}&pageSize=100`)).items.map((v) => v.vmName);
    expect(expected.length).toBeGreaterThan(0);
    expect(await vmNames(page)).toEqual(expected);
    expect(await page.$eval('select[name=rule]', (s) => (s as HTMLSelectElement).value)).toBe(rule);
    // Control: the unfiltered view lists other VMs.
    const unfiltered = await dash.open();
    expect(await vmNames(unfiltered)).not.toEqual(expected);
    await unfiltered.close();
    // The form writes the URL; the page's own links never carry the key.
    await page.select('select[name=severity]', 'info');
    await Promise.all([
      page.waitForFunction(() => new URL(location.href).searchParams.get('severity') === 'info'),
      page.click('form.filters button[type=submit]'),
    ]);
    await settled(page);
    expect(new URL(page.url()).searchParams.get('rule')).toBe(rule);
    expect(await vmNames(page)).toEqual((await dash.api<{ items: VmListItem[] }>(`vms?rule=${rule}&severity=info&pageSize=100`)).items.map((v) => v.vmName));
    // Each ranked rule links to its page (served locally from docs/rules/) and to the matrix on Learn.
    const [rulePage, matrixRow] = await page.$eval('#rules tbody tr .links', (cell) => [...cell.querySelectorAll('a')].map((a) => a.href));
    expect(await fetch(rulePage!).then((r) => r.status)).toBe(200);
    expect(matrixRow).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/backup\/backup-support-matrix-iaas#/);
    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(5);
    expect(hrefs.filter((h) => h.includes(KEY))).toEqual([]);
    await page.close();
  });

  it('fits a 375 px phone without sideways scrolling, overview and VM; a forced-wide layout is caught (control); dark follows the system', async () => {
    // With a filter set, the filters stay unfolded at phone width: they must fit too.
    const filtered = await dash.open('rule=compute.diagnostic-settings', { width: 375 });
    expect(await filtered.$eval('#filters details', (d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await overflow(filtered)).toBe(0);
    await filtered.close();
    const page = await dash.open('', { width: 375 });
    expect(await overflow(page)).toBe(0);
    const vm = await page.$eval('#vms tbody th a', (a) => (a as HTMLAnchorElement).href);
    await page.goto(`${vm}&code=${KEY}`, { waitUntil: 'load' });
    await settled(page);
    expect(await page.$('#vm table.findings')).not.toBeNull();
    expect(await overflow(page)).toBe(0);
    // Control: a table forced wider than the phone is measured as overflow.
    // (Through the CSSOM: the page's Content Security Policy refuses a style tag added to it.)
    await page.$$eval('table', (tables) => {
      for (const t of tables) (t as HTMLElement).style.minWidth = '700px';
    });
    expect(await overflow(page)).toBeGreaterThan(0);
    await page.close();
    const background = async (scheme: 'light' | 'dark') => {
      const p = await dash.open('', { scheme });
      const colour = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await p.close();
      return colour;
    };
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).not.toBe('rgb(255, 255, 255)');
  });

  it('lists the failed alert deliveries the API reports, and what changed; an empty store shows none (control)', async () => {
    const page = await dash.open();
    const failed = await dash.api<{ items: { vmName: string }[] }>('alerts?state=failed');
    expect(failed.items.length).toBeGreaterThan(0);
    const shown = await page.$$eval('#alerts tbody tr th + td a', (links) => links.map((a) => a.textContent ?? ''));
    expect(shown.sort()).toEqual(failed.items.map((a) => a.vmName).sort());
    expect(await page.$eval('#alerts', (s) => s.textContent)).toContain('ops-teams (1 attempt: HTTP 410 Gone');
    const changes = await dash.api<{ items: { transitions: { kind: string }[] }[] }>('changes?days=7');
    const opened = changes.items.reduce((n, c) => n + c.transitions.filter((t) => t.kind === 'opened').length, 0);
    expect(await page.$eval('[data-change="opened-24h"]', (e) => Number(e.textContent))).toBe(opened);
    expect(await page.$eval('[data-change="opened-7d"]', (e) => Number(e.textContent))).toBe(opened);
    await page.close();
    // Control: the same checks on an empty table find nothing to list.
    installServices(dash.azurite.connectionString, `${dash.table}empty`);
    try {
      const empty = await dash.open();
      expect(await empty.$$('#alerts tbody tr')).toEqual([]);
      expect(await empty.$eval('[data-change="opened-7d"]', (e) => Number(e.textContent))).toBe(0);
      await empty.close();
    } finally {
      installServices(dash.azurite.connectionString, dash.table);
    }
  });

  it('works without a key where sign-in guards the app: its API calls carry the session cookie (a page without one sends none: control)', async () => {
    // App Service authentication in front, functions without a key check: the session cookie is the credential.
    const open = await startLocalApiServer({ routes: await functionAppRoutes() });
    try {
      const page = await dash.browser.newPage();
      await page.setCookie({ name: 'AppServiceAuthSession', value: 'a-session', url: open.apiUrl });
      await page.goto(`${open.apiUrl}dashboard`, { waitUntil: 'load' });
      expect(await settled(page)).toBe('ready');
      const calls = open.requests.filter((r) => r.path !== '/api/dashboard');
      expect(calls.length).toBeGreaterThanOrEqual(6);
      expect(calls.every((r) => r.cookie && !r.keyed && r.status === 200)).toBe(true);
      await page.deleteCookie({ name: 'AppServiceAuthSession', url: open.apiUrl });
      open.requests.length = 0;
      await page.reload({ waitUntil: 'load' });
      await settled(page);
      expect(open.requests.some((r) => r.cookie)).toBe(false);
      await page.close();
    } finally {
      await open.close();
    }
  });

  it('shows an error, not a blank page, when the API fails; a healthy API shows none (control)', async () => {
    const healthy = await dash.open();
    expect(await healthy.$$('[role=alert]')).toEqual([]);
    await healthy.close();
    // The store refuses the handlers (a wrong account key): every API call answers 503.
    installServices(dash.azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.alloc(64, 7).toString('base64')}`), dash.table);
    try {
      const page = await dash.open();
      expect(await settled(page)).toBe('error');
      const alerts = await page.$$eval('[role=alert]', (els) => els.map((e) => e.textContent ?? ''));
      expect(alerts.length).toBeGreaterThanOrEqual(6);
      expect(alerts[0]).toContain('HTTP 503: the findings store is unavailable');
      expect(await page.$eval('#summary-title', (e) => e.textContent)).toBe('Fleet summary');
      await page.close();
    } finally {
      installServices(dash.azurite.connectionString, dash.table);
    }
  });
});
