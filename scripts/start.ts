/**
 * `npm start`: the whole pipeline on the embedded default — an in-process Azurite, the bundled sample fleet checked
 * and written through the findings store (the same applyEvaluation path as the functions), then the findings
 * queried back from the store.
 */
import { runCli } from '../cli/main.js';
import type { CliIo } from '../cli/io.js';
import { deliverDueAlerts } from '../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../core/alerts/destinations.js';
import { FindingsStore } from '../core/store/findingsStore.js';
import { startLocalAzurite } from './localAzurite.js';
import { startLocalTeamsReceiver } from './localTeamsReceiver.js';

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: { ...process.env, FINDINGS_STORAGE: undefined },
  stdoutIsTty: process.stdout.isTTY === true,
};

const say = (text: string) => process.stdout.write(`\n\u001b[1m== ${text}\u001b[22m\n\n`.replace(/\u001b\[\d+m/g, io.stdoutIsTty && !process.env.NO_COLOR ? '$&' : ''));

const azurite = await startLocalAzurite();
let code = 0;
try {
  say('vm-backup-guard check samples --exemptions samples/exemptions/exemptions.json --show-exempted --store <in-process Azurite>');
  code = await runCli(['check', 'samples', '--exemptions', 'samples/exemptions/exemptions.json', '--show-exempted', '--store', azurite.connectionString, '--fail-on', 'never'], io);
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
      process.stdout.write(`\n${report.delivered} alert intents delivered in ${receiver.received()} message(s) (one digest for many VMs; only errors for this destination).\n`);
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
} finally {
  await azurite.close();
}
process.exitCode = code;
