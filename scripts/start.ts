/**
 * `npm start`: the whole pipeline on the embedded default — an in-process Azurite, the bundled sample fleet checked
 * and written through the findings store (the same applyEvaluation path as the functions), then the findings
 * queried back from the store, then the dashboard and the findings API served over that store until Ctrl-C.
 * `--no-serve`, or a stdout that is not a terminal (a script, CI's `npm start > log`), exits at once instead.
 */
import { randomBytes } from 'node:crypto';
import { runCli } from '../cli/main.js';
import type { CliIo } from '../cli/io.js';
import { deliverDueAlerts } from '../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../core/alerts/destinations.js';
import { FindingsStore } from '../core/store/index.js';
import { functionAppRoutes, startLocalApiServer } from './localApiServer.js';
import { startLocalAzurite } from './localAzurite.js';
import { startLocalTeamsReceiver } from './localTeamsReceiver.js';

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: { ...process.env, FINDINGS_STORAGE: undefined },
  stdoutIsTty: process.stdout.isTTY === true,
};

const say = (text: string) =>
  process.stdout.write(`\n\u001b[1m== ${text}\u001b[22m\n\n`.replace(/\u001b\[\d+m/g, io.stdoutIsTty && !process.env.NO_COLOR ? '$&' : ''));

const noServe = process.argv.includes('--no-serve');
/** The Functions host's local port: the printed URL looks like the one `func start` would print. */
const PORT = 7071;

const azurite = await startLocalAzurite();
let code = 0;
let serving = false;
try {
  say('vm-backup-guard check samples --exemptions samples/exemptions/exemptions.json --show-exempted --store <in-process Azurite>');
  code = await runCli(
    ['check', 'samples', '--exemptions', 'samples/exemptions/exemptions.json', '--show-exempted', '--store', azurite.connectionString, '--fail-on', 'never'],
    io,
  );
  if (code === 0) {
    say('vm-backup-guard findings --store <in-process Azurite> --severity error   (read back from Table Storage)');
    code = await runCli(['findings', '--store', azurite.connectionString, '--severity', 'error'], io);
  }
  if (code === 0) {
    say('vm-backup-guard findings --store <in-process Azurite> --state exempted   (accepted, not counted as open)');
    code = await runCli(['findings', '--store', azurite.connectionString, '--state', 'exempted'], io);
  }
  if (code === 0) {
    say('Alerts: what a Teams channel would get (a local receiver stands in for the Teams Workflows webhook)');
    const receiver = await startLocalTeamsReceiver((text) => process.stdout.write(text));
    try {
      const destinations = parseAlertDestinations(JSON.stringify([{ name: 'local-teams', type: 'teams', url: receiver.url, minSeverity: 'error' }]));
      const store = FindingsStore.connect({ connectionString: azurite.connectionString });
      const report = await deliverDueAlerts(store, destinations, { now: new Date(), teamsIntervalMs: 0 });
      process.stdout.write(
        `\n${report.delivered} alert intents delivered in ${receiver.received()} message(s) (one digest for many VMs; only errors for this destination).\n`,
      );
    } finally {
      await receiver.close();
    }
  }
  say('Next');
  process.stdout.write(
    [
      'Your own VMs, offline:   node dist/cli.js check <exported ARM JSON files>   (README: "Getting the data out of Azure")',
      'Live, after az login:    node dist/cli.js scan --subscription <id> --auth azure-cli',
      'Your own findings store: add --store "<storage connection string>" (or set FINDINGS_STORAGE) to check or scan,',
      '                         then: node dist/cli.js findings --store "<...>" --rule <rule id> --format csv',
      'Accept a finding:        node dist/cli.js exemptions add --store "<...>" --id <id> --scope <VM/RG/sub id> --rules <rule id> --category waiver --reason "<why>"',
      'Your own Teams channel:  ALERT_DESTINATIONS=\'[{"name":"ops","type":"teams","url":"<workflow URL>"}]\' node dist/cli.js alerts test --destination ops',
      '',
    ].join('\n'),
  );
  if (code === 0) serving = await dashboard();
} finally {
  if (!serving) await azurite.close();
}
process.exitCode = code;

/**
 * Serves the dashboard and the API over this Azurite with the Function App's own handlers, until Ctrl-C; or says how
 * to, and returns false, when it must not wait (asked not to, or nobody is at a terminal to press Ctrl-C).
 */
async function dashboard(): Promise<boolean> {
  say('Dashboard: the fleet in a browser (the Function App serves it at /api/dashboard)');
  if (noServe || !process.stdout.isTTY) {
    const why = noServe ? '--no-serve' : 'stdout is not a terminal';
    process.stdout.write(`Not serving the dashboard (${why}); \`npm start\` in a terminal serves it at http://127.0.0.1:${PORT}/api/dashboard until Ctrl-C.\n`);
    return false;
  }
  // The handlers read their settings from the environment, as in Azure: point them at this Azurite.
  process.env.FINDINGS_STORAGE = azurite.connectionString;
  delete process.env.FINDINGS_STORAGE__tableServiceUri;
  delete process.env.FINDINGS_STORAGE__queueServiceUri;
  // A key, as authLevel 'function' wants one in Azure: the page passes it on to its API calls.
  const functionKey = randomBytes(18).toString('base64url');
  const server = await startLocalApiServer({ routes: await functionAppRoutes(), functionKey, port: PORT });
  process.stdout.write(
    [
      `Dashboard:    ${server.apiUrl}dashboard?code=${functionKey}`,
      `Findings API: ${server.apiUrl}summary, ${server.apiUrl}findings?severity=error, ... (header x-functions-key: ${functionKey})`,
      'Serving until Ctrl-C (`npm start -- --no-serve` exits at once).',
      '',
    ].join('\n'),
  );
  const stop = () => {
    process.stdout.write('\nStopping.\n');
    void server
      .close()
      .then(() => azurite.close())
      .then(() => process.exit(process.exitCode ?? 0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return true;
}
