import { parseArgs } from 'node:util';
import { AlertSettingsError, loadAlertSettings } from '../../core/alerts/alertSettings.js';
import { readDeliveries } from '../../core/alerts/deliveryState.js';
import { postJson } from '../../core/alerts/httpSend.js';
import { sampleIntent } from '../../core/alerts/sampleIntent.js';
import { teamsMessageFor } from '../../core/alerts/teamsCard.js';
import { signedWebhookRequest, webhookPayloadFor } from '../../core/alerts/webhookPayload.js';
import { poisonQueuesOf } from '../../core/queue/poisonReport.js';
import { SkippedRows, type InvalidAlert, type OutboxRow } from '../../core/store/index.js';
import { paletteFor } from '../format/colour.js';
import { renderPoisonQueues } from '../format/poisonQueues.js';
import { EXIT_OK, UsageError, type CliIo } from '../io.js';
import { storeFromOptions, STORE_OPTIONS } from '../storeOption.js';
import { reportSkippedRows } from '../skippedRowsNote.js';
import { escapeControl } from '../format/escapeControl.js';

export const ALERTS_USAGE = `Usage: vm-backup-guard alerts test --destination <name>
       vm-backup-guard alerts list [--store <connection-string>] [--state pending|delivered|failed|invalid|all] [--format table|json]

  test   sends a sample alert (a made-up VM) to one destination of ALERT_DESTINATIONS, as the Function App would:
         an Adaptive Card to a Teams workflow, a signed vm-backup-guard.alert/v1 payload to a webhook.
         Exit code 0 when the destination accepted it, 1 when it did not.
  list   the alert intents in the findings store and how each destination's delivery went, and the poison queue
         of the sweep's work queue (messages that failed every retry: their id, time and VM); \`invalid\` intents
         could not be read and were set aside by delivery (their keys are shown, to inspect in the table)
         --store (default: FINDINGS_STORAGE), --table (default: FINDINGS_TABLE), --state (default: all)`;

/** The destination did not accept the sample (distinct from usage errors, 2). */
export const EXIT_DELIVERY_FAILED = 1;
const STATES = ['pending', 'delivered', 'failed', 'invalid', 'all'] as const;

export async function alertsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${ALERTS_USAGE}\n`);
    return EXIT_OK;
  }
  if (sub === 'test') return testCommand(rest, io);
  if (sub === 'list') return listCommand(rest, io);
  throw new UsageError(`unknown alerts command "${sub}": use test or list`);
}

async function testCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { destination: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(`${ALERTS_USAGE}\n`);
    return EXIT_OK;
  }
  if (!values.destination) throw new UsageError('alerts test needs --destination <name> (a name from ALERT_DESTINATIONS)');
  let settings: ReturnType<typeof loadAlertSettings>;
  try {
    settings = loadAlertSettings(io.env);
  } catch (error) {
    if (error instanceof AlertSettingsError) throw new UsageError(error.problems.join('\n'));
    throw error;
  }
  const destination = settings.destinations.find((d) => d.name.toLowerCase() === values.destination!.toLowerCase());
  if (!destination) {
    const names = settings.destinations.map((d) => d.name);
    throw new UsageError(
      `no destination named "${values.destination}" in ALERT_DESTINATIONS (${names.length > 0 ? `configured: ${names.join(', ')}` : 'it is empty or unset'})`,
    );
  }
  const now = new Date();
  const intent = sampleIntent(now, settings.links);
  const request =
    destination.type === 'teams'
      ? { body: JSON.stringify(teamsMessageFor(intent)), headers: {} }
      : signedWebhookRequest(webhookPayloadFor(intent, { test: true }), destination.secrets, now);
  const result = await postJson(fetch, destination.url, request.body, request.headers, { timeoutMs: 10_000, now });
  const what = destination.type === 'teams' ? 'a sample Teams card' : `a signed sample webhook call (idempotency key ${intent.idempotencyKey})`;
  if (result.kind === 'delivered') {
    io.stdout(`sent ${what} to "${destination.name}": HTTP ${result.status}\n`);
    return EXIT_OK;
  }
  // Our own description of the failure: the URL is a secret and is never printed.
  io.stderr(
    `"${destination.name}" did not accept ${what}: ${result.error}${result.kind === 'permanent' ? ' (check the URL and, for a webhook, the secret)' : ' (try again later)'}\n`,
  );
  return EXIT_DELIVERY_FAILED;
}

async function listCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...STORE_OPTIONS,
      state: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${ALERTS_USAGE}\n`);
    return EXIT_OK;
  }
  const state = values.state ?? 'all';
  if (!(STATES as readonly string[]).includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}; got "${state}"`);
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json; got "${format}"`);
  const target = storeFromOptions(values, io.env, io.storeAccess);
  if (!target) throw new UsageError('alerts list needs --store <connection-string> or FINDINGS_STORAGE');
  const skipped = new SkippedRows();
  const listed = state === 'invalid' ? Promise.resolve([]) : target.store.alerts(state as OutboxRow['state'] | 'all', skipped);
  const [rows, invalid, poison] = await Promise.all([
    listed.then((r) => r.sort((a, b) => b.createdAt.localeCompare(a.createdAt))),
    state === 'invalid' || state === 'all' ? target.store.invalidAlerts() : Promise.resolve([]),
    poisonQueuesOf(target.queue, target.table),
  ]);
  reportSkippedRows(io, skipped);
  if (format === 'json') {
    const alerts = rows.map((r) => ({
      idempotencyKey: r.idempotencyKey,
      state: r.state,
      createdAt: r.createdAt,
      nextAttemptAt: r.nextAttemptAt,
      vm: { id: r.vmId, name: r.vmName, subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup },
      edition: r.edition,
      transitions: JSON.parse(r.transitions) as unknown,
      deliveries: readDeliveries(r),
    }));
    io.stdout(`${JSON.stringify({ alerts, count: alerts.length, invalid, skippedRows: skipped.count, poison }, null, io.stdoutIsTty ? 2 : undefined)}\n`);
    return EXIT_OK;
  }
  const palette = paletteFor(io.env, io.stdoutIsTty);
  io.stdout(renderAlertsTable(rows, palette) + renderInvalidAlerts(invalid, palette) + renderPoisonQueues(poison, palette));
  return EXIT_OK;
}

function renderInvalidAlerts(invalid: readonly InvalidAlert[], c: ReturnType<typeof paletteFor>): string {
  if (invalid.length === 0) return '';
  const lines = invalid.map(
    (a) => `${c.red('invalid  ')} ${a.quarantinedAt.slice(0, 16).replace('T', ' ')} ${escapeControl(a.vmId ?? a.vmKey)} ${escapeControl(a.rowKey)}`,
  );
  return `\n${lines.join('\n')}\n${invalid.length} unreadable alert intent${invalid.length === 1 ? '' : 's'} set aside.\n`;
}

function renderAlertsTable(rows: readonly OutboxRow[], c: ReturnType<typeof paletteFor>): string {
  if (rows.length === 0) return 'No alerts match.\n';
  const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  const lines = rows.map((r) => {
    const state = r.state === 'delivered' ? c.green('delivered') : r.state === 'failed' ? c.red('failed   ') : c.yellow('pending  ');
    let changes: string;
    try {
      changes = (JSON.parse(r.transitions) as { kind: string; ruleId: string }[]).map((t) => `${t.kind} ${t.ruleId}`).join(', ');
    } catch {
      changes = '(unreadable)';
    }
    const deliveries = Object.entries(readDeliveries(r) ?? {}).map(([name, d]) => {
      const detail =
        d.state === 'delivered'
          ? `delivered ${minute(d.deliveredAt ?? '')}`
          : `${d.state}${d.attempts > 0 ? `, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : ''}${d.lastError ? `, ${d.lastError}` : ''}${d.state === 'pending' && d.nextAttemptAt ? `, next ${minute(d.nextAttemptAt)}` : ''}`;
      return `${name}: ${detail}`;
    });
    const routed = deliveries.length > 0 ? deliveries.join('; ') : r.state === 'pending' ? 'not routed yet' : 'no destination matched';
    return `${state} ${minute(r.createdAt)} ${r.vmName.padEnd(24)} ${changes}\n          ${c.dim(routed)}`;
  });
  return `${lines.join('\n')}\n\n${rows.length} alert${rows.length === 1 ? '' : 's'}.\n`;
}
