/**
 * The data the dashboard is shown and tested with: the bundled sample fleet checked into a store, as `npm start` does,
 * plus one failed alert delivery (a Teams destination whose endpoint answers 410 Gone, a permanent failure), so every
 * part of the page has something to show. Dev only: used by the screenshot script and test/dashboard.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../cli/main.js';
import { deliverDueAlerts } from '../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../core/alerts/destinations.js';
import { rankedSubscriptions } from '../core/store/fleetRankings.js';
import { FindingsStore, FINDINGS_TABLE } from '../core/store/findingsStore.js';

export async function loadDashboardSample(connectionString: string, table = FINDINGS_TABLE): Promise<void> {
  let errors = '';
  const io = {
    stdout: () => {},
    stderr: (text: string) => {
      errors += text;
    },
    env: {},
    stdoutIsTty: false,
  };
  const code = await runCli(
    [
      'check',
      'samples',
      '--exemptions',
      'samples/exemptions/exemptions.json',
      '--store',
      connectionString,
      '--table',
      table,
      '--fail-on',
      'never',
      '--format',
      'json',
    ],
    io,
  );
  if (code !== 0) throw new Error(`check samples exited ${code}: ${errors}`);
  const store = FindingsStore.connect({ connectionString }, table);
  // The subscription with the fewest open errors (but some): a few failed alerts, not one per VM of the fleet.
  const withErrors = (await rankedSubscriptions(store)).filter((s) => s.open.error > 0);
  const subscription = withErrors.at(-1)?.subscriptionId;
  if (!subscription) return;
  const gone = createServer((_request, response) => response.writeHead(410).end());
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/workflows/retired`;
    const destinations = parseAlertDestinations(
      JSON.stringify([{ name: 'ops-teams', type: 'teams', url, minSeverity: 'error', subscriptions: [subscription] }]),
    );
    await deliverDueAlerts(store, destinations, { now: new Date(), teamsIntervalMs: 0 });
  } finally {
    await new Promise<void>((resolve) => gone.close(() => resolve()));
  }
}
