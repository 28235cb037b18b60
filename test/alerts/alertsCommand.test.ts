import { afterEach, describe, expect, it } from 'vitest';
import { alertsCommand } from '../../cli/commands/alerts.js';
import { UsageError, type CliIo } from '../../cli/io.js';
import { deliverDueAlerts } from '../../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../../core/alerts/destinations.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { cardText } from './adaptiveCardRules.js';
import { at, brokenVm, evaluationOf, newStore, storeEvaluation, teamsDestination, WEBHOOK_SECRET, webhookDestination } from './alertFixtures.js';
import { closedPortUrl, TeamsReceiver, WebhookReceiver, type Receiver } from './receivers.js';

const azurite = useAzurite();
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function run(args: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, stdoutIsTty: false };
  const code = await alertsCommand(args, io);
  return { code, stdout, stderr };
}

describe('vm-backup-guard alerts test', () => {
  it('sends a sample Adaptive Card to a Teams destination', async () => {
    const card = await new TeamsReceiver().start();
    receivers.push(card);
    const result = await run(['test', '--destination', 'ops'], { ALERT_DESTINATIONS: JSON.stringify([teamsDestination('ops', card.url)]) });
    expect(result).toEqual({ code: 0, stdout: 'sent a sample Teams card to "ops": HTTP 202\n', stderr: '' });
    expect(card.problems).toEqual([]);
    expect(cardText(card.cards[0])).toContain('vm-sample-01');
  });

  it('sends a signed sample payload, marked as a test, to a webhook destination', async () => {
    const hook = await new WebhookReceiver(WEBHOOK_SECRET, () => new Date()).start();
    receivers.push(hook);
    const result = await run(['test', '--destination', 'SIEM'], { ALERT_DESTINATIONS: JSON.stringify([webhookDestination('siem', hook.url)]) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sent a signed sample webhook call \(idempotency key sample-\w+\) to "siem": HTTP 200\n$/);
    expect(hook.accepted).toEqual([
      expect.objectContaining({ schema: 'vm-backup-guard.alert/v1', test: true, vm: expect.objectContaining({ name: 'vm-sample-01' }) }),
    ]);
  });

  it('says why a destination did not take it, without printing its URL', async () => {
    const failing = await new TeamsReceiver([{ status: 404 }]).start();
    receivers.push(failing);
    const refused = await closedPortUrl();
    const env = { ALERT_DESTINATIONS: JSON.stringify([teamsDestination('gone', failing.url), teamsDestination('down', refused)]) };
    const gone = await run(['test', '--destination', 'gone'], env);
    expect(gone).toEqual({
      code: 1,
      stdout: '',
      stderr: '"gone" did not accept a sample Teams card: HTTP 404 (check the URL and, for a webhook, the secret)\n',
    });
    const down = await run(['test', '--destination', 'down'], env);
    expect(down.stderr).toBe('"down" did not accept a sample Teams card: connection refused (try again later)\n');
    expect(gone.stderr + down.stderr).not.toContain('127.0.0.1');
  });

  it('usage errors: no destination named, an unknown name, invalid settings', async () => {
    const env = { ALERT_DESTINATIONS: JSON.stringify([teamsDestination('ops', 'https://example.com/x?sig=SECRETSIG')]) };
    await expect(run(['test'], env)).rejects.toThrow(/needs --destination/);
    await expect(run(['test', '--destination', 'nope'], env)).rejects.toThrow('no destination named "nope" in ALERT_DESTINATIONS (configured: ops)');
    const invalid = run(['test', '--destination', 'ops'], { ALERT_DESTINATIONS: '[{"name":"ops","type":"teams","url":"http://example.com/x?sig=SECRETSIG"}]' });
    await expect(invalid).rejects.toThrow(UsageError);
    await expect(invalid).rejects.not.toThrow(/SECRETSIG/);
    await expect(run(['send'], env)).rejects.toThrow('unknown alerts command "send"');
  });
});

describe('vm-backup-guard alerts list', () => {
  it("lists intents with each destination's state, failed ones included", async () => {
    const connectionString = azurite.connectionString();
    const table = freshTableName();
    const store = newStore(connectionString, table);
    const card = await new TeamsReceiver().start();
    const refused = await closedPortUrl();
    receivers.push(card);
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    const targets = parseAlertDestinations(JSON.stringify([teamsDestination('ops', card.url), teamsDestination('gone', refused)]));
    await deliverDueAlerts(store, targets, { now: at(1), timeoutMs: 300 });

    const table1 = await run(['list', '--store', connectionString, '--table', table], {});
    expect(table1.code).toBe(0);
    expect(table1.stdout).toContain('pending   2026-11-26 10:00 vm-app-01');
    expect(table1.stdout).toMatch(/opened compute\.min-size/);
    expect(table1.stdout).toContain('ops: delivered 2026-11-26 10:00; gone: pending, 1 attempt, connection refused, next 2026-11-26 10:00');
    expect(table1.stdout).toContain('1 alert.');

    const json = await run(['list', '--store', connectionString, '--table', table, '--state', 'pending', '--format', 'json'], {});
    const parsed = JSON.parse(json.stdout);
    expect(parsed.count).toBe(1);
    expect(parsed.alerts[0]).toMatchObject({
      state: 'pending',
      vm: { name: 'vm-app-01' },
      deliveries: { ops: { state: 'delivered' }, gone: { state: 'pending', lastError: 'connection refused' } },
    });
    expect((await run(['list', '--store', connectionString, '--table', table, '--state', 'failed'], {})).stdout).toBe('No alerts match.\n');
    await expect(run(['list', '--store', connectionString, '--state', 'stuck'], {})).rejects.toThrow(
      '--state must be one of pending, delivered, failed, invalid, all; got "stuck"',
    );
    await expect(run(['list'], {})).rejects.toThrow('alerts list needs --store');
  });
});
