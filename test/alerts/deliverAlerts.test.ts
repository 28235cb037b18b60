import { afterEach, describe, expect, it } from 'vitest';
import { parseAlertDestinations, type AlertDestination } from '../../core/alerts/destinations.js';
import { CLAIM_LEASE_MS, deliverDueAlerts, type AlertLog, type AlertOutbox, type DeliverOptions } from '../../core/alerts/deliverAlerts.js';
import { readDeliveries } from '../../core/alerts/deliveryState.js';
import type { OutboxRow } from '../../core/store/index.js';
import { useAzurite } from '../helpers/azurite.js';
import { cleanInventory, OTHER_SUB } from '../helpers/cleanVm.js';
import { cardText } from './adaptiveCardRules.js';
import { at, brokenVm, evaluationOf, newStore, storeEvaluation, teamsDestination, WEBHOOK_SECRET, webhookDestination } from './alertFixtures.js';
import { closedPortUrl, type Receiver, TeamsReceiver, WebhookReceiver, type Fault } from './receivers.js';

const azurite = useAzurite();

/** The receivers' clock follows the simulated one: a webhook timestamp is checked against the run's time. */
let clock = at(0);
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function teams(faults: Fault[] = []): Promise<TeamsReceiver> {
  const r = await new TeamsReceiver(faults).start();
  receivers.push(r);
  return r;
}
async function webhook(faults: Fault[] = [], secret = WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver(secret, () => clock, faults).start();
  receivers.push(r);
  return r;
}

function destinations(...entries: Record<string, unknown>[]): AlertDestination[] {
  return parseAlertDestinations(JSON.stringify(entries));
}

/** One delivery run at simulated second `seconds` (fast pacing, short timeouts: nothing here waits long). */
function run(store: AlertOutbox, targets: AlertDestination[], seconds: number, options: Partial<DeliverOptions> = {}) {
  clock = at(seconds);
  return deliverDueAlerts(store, targets, { now: at(seconds), timeoutMs: 300, teamsIntervalMs: 20, jitter: () => 0, ...options });
}

const deliveriesOf = (row: OutboxRow) => readDeliveries(row)!;
const kinds = (payloadOrCard: { transitions: { kind: string; ruleId: string }[] }) => payloadOrCard.transitions.map((t) => `${t.kind} ${t.ruleId}`).sort();

describe('alert delivery', () => {
  it('a VM gaining a blocking finding: exactly one Teams card and one signed webhook call, though both receivers fail for a while; fixing it: one "resolved" each', async () => {
    // Teams: 500, 500, then 429 asking for two minutes. The webhook: a timeout, then 503.
    const card = await teams([{ status: 500 }, { status: 500 }, { status: 429, headers: { 'retry-after': '120' } }]);
    const hook = await webhook(['hang', { status: 503 }]);
    const targets = destinations(teamsDestination('ops', card.url, { minSeverity: 'error' }), webhookDestination('siem', hook.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);

    expect(await run(store, targets, 1)).toMatchObject({ due: 1, requests: 2, retrying: 1 });
    let [row] = await store.alerts('all');
    expect(row!.state).toBe('pending');
    expect(deliveriesOf(row!)).toEqual({
      ops: {
        state: 'pending',
        attempts: 1,
        lastAttemptAt: at(1).toISOString(),
        lastStatus: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: at(31).toISOString(),
        via: 'card',
      },
      siem: { state: 'pending', attempts: 1, lastAttemptAt: at(1).toISOString(), lastError: 'timeout', nextAttemptAt: at(31).toISOString(), via: 'webhook' },
    });

    expect(await run(store, targets, 20)).toMatchObject({ due: 0, requests: 0 }); // nothing due before the back-off ends
    expect(await run(store, targets, 31)).toMatchObject({ requests: 2, retrying: 1 }); // 500 again; 503: both wait 60 s
    expect(await run(store, targets, 91)).toMatchObject({ requests: 2, retrying: 1 }); // 429 + Retry-After 120; the webhook succeeds
    [row] = await store.alerts('all');
    expect(deliveriesOf(row!).ops).toMatchObject({ state: 'pending', attempts: 3, lastStatus: 429, nextAttemptAt: at(211).toISOString() });
    expect(deliveriesOf(row!).siem).toMatchObject({ state: 'delivered', attempts: 3, deliveredAt: at(91).toISOString() });
    expect(await run(store, targets, 150)).toMatchObject({ requests: 0 }); // Retry-After is honoured
    expect(await run(store, targets, 211)).toMatchObject({ requests: 1, delivered: 1 });
    expect(await run(store, targets, 400)).toMatchObject({ due: 0, requests: 0 });

    expect(card.requests.map((r) => r.status)).toEqual([500, 500, 429, 202]);
    expect(card.problems).toEqual([]);
    expect(card.cards).toHaveLength(1);
    const text = cardText(card.cards[0]);
    expect(text).toContain('ERROR · new finding · compute.min-size');
    expect(text).not.toContain('policy.daylight-saving'); // info: below this destination's minimum
    expect(hook.requests.map((r) => r.status)).toEqual(['hung', 503, 200]);
    expect(hook.rejected).toEqual([]);
    expect(hook.duplicates).toBe(0);
    expect(hook.accepted).toHaveLength(1);
    expect(hook.accepted[0]).toMatchObject({ schema: 'vm-backup-guard.alert/v1', idempotencyKey: row!.idempotencyKey, vm: { name: 'vm-app-01' } });
    expect(kinds(hook.accepted[0]!)).toEqual(['opened compute.min-size', 'opened policy.daylight-saving']);
    // Every attempt was signed afresh with the time it was sent; the key never changed.
    expect(new Set(hook.requests.map((r) => r.headers['x-vmbg-idempotency-key']))).toEqual(new Set([row!.idempotencyKey]));
    expect(hook.requests.map((r) => Number(r.headers['x-vmbg-timestamp']))).toEqual([at(1), at(31), at(91)].map((d) => Math.floor(d.getTime() / 1000)));

    await storeEvaluation(store, evaluationOf(cleanInventory()), 500);
    expect(await run(store, targets, 501)).toMatchObject({ due: 1, requests: 2, delivered: 1 });
    expect(card.cards).toHaveLength(2);
    const resolved = cardText(card.cards[1]);
    expect(resolved).toContain('✅ RESOLVED · compute.min-size');
    expect(resolved).not.toContain('policy.daylight-saving');
    expect(hook.accepted).toHaveLength(2);
    expect(kinds(hook.accepted[1]!)).toEqual(['resolved compute.min-size', 'resolved policy.daylight-saving']);
    expect(hook.duplicates).toBe(0);
  });

  it('sends nothing for an evaluation that changed nothing', async () => {
    const card = await teams();
    const targets = destinations(teamsDestination('ops', card.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    await storeEvaluation(store, evaluationOf(brokenVm()), 60);
    await storeEvaluation(store, evaluationOf(brokenVm()), 120);
    await run(store, targets, 121);
    await storeEvaluation(store, evaluationOf(brokenVm()), 180);
    expect(await run(store, targets, 181)).toMatchObject({ due: 0, requests: 0 });
    expect(card.cards).toHaveLength(1);
    expect(await store.alerts('all')).toHaveLength(1);
  });

  it('a crash after the commit loses nothing: the intent waits in the store, and the next run (a new process) delivers it', async () => {
    const card = await teams();
    const hook = await webhook();
    const targets = destinations(teamsDestination('ops', card.url), webhookDestination('siem', hook.url));
    const connection = azurite.connectionString();
    const table = `alertscrash${process.pid}`;
    await storeEvaluation(newStore(connection, table), evaluationOf(brokenVm()), 0);
    // The process that stored it died here: no delivery ran. Later, another one starts.
    expect(await run(newStore(connection, table), targets, 300)).toMatchObject({ due: 1, delivered: 1 });
    expect(card.cards).toHaveLength(1);
    expect(hook.accepted).toHaveLength(1);
  });

  it('a crash after sending, before saving: sent again once the claim expires, with the same idempotency key', async () => {
    const card = await teams();
    const hook = await webhook();
    const targets = destinations(teamsDestination('ops', card.url), webhookDestination('siem', hook.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    // The claim is saved; the save after sending dies with the process.
    let saves = 0;
    const dying: AlertOutbox = {
      dueAlerts: (now, limit) => store.dueAlerts(now, limit),
      saveAlert: async (row) => {
        saves += 1;
        if (saves === 2) throw new Error('the host was recycled');
        return store.saveAlert(row);
      },
    };
    expect(await run(dying, targets, 1)).toMatchObject({ requests: 2, storeErrors: 1 });
    expect(hook.accepted).toHaveLength(1);
    expect(await run(store, targets, 60)).toMatchObject({ due: 0 }); // still claimed
    expect(await run(store, targets, 1 + CLAIM_LEASE_MS / 1000)).toMatchObject({ due: 1, requests: 2, delivered: 1 });
    // At least once: the webhook receiver sees the key again and drops it; Teams has no such key and shows it twice.
    expect(hook.requests).toHaveLength(2);
    expect(hook.accepted).toHaveLength(1);
    expect(hook.duplicates).toBe(1);
    expect(card.cards).toHaveLength(2);
    expect(await store.alerts('delivered')).toHaveLength(1);
  });

  it('connection refused for 24 hours: that destination fails for good, visible as failed; the other one got it', async () => {
    const hook = await webhook();
    const refused = await closedPortUrl();
    const targets = destinations(teamsDestination('gone', refused), webhookDestination('siem', hook.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    let seconds = 1;
    const attempts: string[] = [];
    for (let i = 0; i < 100; i++) {
      await run(store, targets, seconds);
      const [row] = await store.alerts('all');
      if (row!.state !== 'pending') break;
      attempts.push(row!.nextAttemptAt);
      seconds = (Date.parse(row!.nextAttemptAt) - at(0).getTime()) / 1000;
    }
    const [row] = await store.alerts('failed');
    expect(row).toBeDefined();
    expect(deliveriesOf(row!)).toMatchObject({
      gone: { state: 'failed', lastError: 'connection refused (gave up: still failing 24 h after the evaluation)' },
      siem: { state: 'delivered', attempts: 1 },
    });
    // 30 s doubling to 1 h, the last attempt at exactly 24 h; never later.
    const waits = [1, ...attempts.map((a) => (Date.parse(a) - at(0).getTime()) / 1000)].map((t, i, all) => (i === 0 ? 0 : t - all[i - 1]!)).slice(1);
    expect(waits.slice(0, 8)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(Math.max(...waits)).toBe(3600);
    expect(attempts.at(-1)).toBe(at(24 * 3600).toISOString());
    expect(deliveriesOf(row!).gone!.attempts).toBe(attempts.length + 1);
    expect(hook.accepted).toHaveLength(1);
  });

  it('a refusal (4xx other than 408/429) fails that destination at once: a receiver with another secret answers 401', async () => {
    const hook = await webhook([], 'the-receivers-own-secret-123');
    const targets = destinations(webhookDestination('siem', hook.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    expect(await run(store, targets, 1)).toMatchObject({ requests: 1, failed: 1 });
    expect(hook.rejected).toEqual(['bad-signature']);
    const [row] = await store.alerts('failed');
    expect(deliveriesOf(row!).siem).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 401, lastError: 'HTTP 401 (permanent)' });
    expect(await run(store, targets, 3600)).toMatchObject({ due: 0 });
  });

  it('routes by minimum severity, subscription and rule; resolutions go where the findings went', async () => {
    const errorsOnly = await teams();
    const otherSub = await webhook();
    const dstOnly = await webhook();
    const targets = destinations(
      teamsDestination('errors', errorsOnly.url, { minSeverity: 'error' }),
      webhookDestination('other-sub', otherSub.url, { subscriptions: [OTHER_SUB] }),
      webhookDestination('dst', dstOnly.url, { rules: ['policy.daylight-saving'] }),
    );
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    await run(store, targets, 1);
    const [row] = await store.alerts('delivered');
    expect(Object.keys(deliveriesOf(row!)).sort()).toEqual(['dst', 'errors']);
    expect(cardText(errorsOnly.cards[0])).toContain('compute.min-size');
    expect(cardText(errorsOnly.cards[0])).not.toContain('policy.daylight-saving');
    expect(kinds(dstOnly.accepted[0]!)).toEqual(['opened policy.daylight-saving']);
    expect(otherSub.requests).toEqual([]);

    await storeEvaluation(store, evaluationOf(cleanInventory()), 100);
    await run(store, targets, 101);
    expect(cardText(errorsOnly.cards[1])).toContain('✅ RESOLVED · compute.min-size');
    expect(kinds(dstOnly.accepted[1]!)).toEqual(['resolved policy.daylight-saving']);
    expect(otherSub.requests).toEqual([]);
  });

  it('many VMs in one run: one Teams digest instead of a flood; the webhook still gets one signed call per VM', async () => {
    const card = await teams();
    const hook = await webhook();
    const targets = destinations(teamsDestination('ops', card.url), webhookDestination('siem', hook.url));
    const store = newStore(azurite.connectionString());
    for (let i = 0; i < 8; i++) await storeEvaluation(store, evaluationOf(brokenVm(), i), 0);
    expect(await run(store, targets, 1)).toMatchObject({ due: 8, requests: 9, delivered: 8 });
    expect(card.problems).toEqual([]);
    expect(card.cards).toHaveLength(1);
    const text = cardText(card.cards[0]);
    expect(text).toContain('Azure VM backup: 8 VMs changed — 16 opened');
    for (let i = 0; i < 8; i++) expect(text).toContain(`vm-fleet-0${i}`);
    expect(hook.accepted.map((p) => p.vm.name).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `vm-fleet-0${i}`));
    const rows = await store.alerts('delivered');
    expect(rows.map((r) => deliveriesOf(r).ops!.via)).toEqual(Array(8).fill('digest'));
  });

  it('paces cards to one Teams webhook at about 4 a second', async () => {
    const card = await teams();
    const targets = destinations(teamsDestination('ops', card.url));
    const store = newStore(azurite.connectionString());
    for (let i = 0; i < 4; i++) await storeEvaluation(store, evaluationOf(brokenVm(), i), 0);
    await run(store, targets, 1, { teamsIntervalMs: 250 });
    expect(card.cards).toHaveLength(4);
    const gaps = card.requests.slice(1).map((r, i) => r.at - card.requests[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(240);
  });

  it('a destination that is down is tried once per run, not once per intent; the rest wait with it', async () => {
    const card = await teams([{ status: 503, headers: { 'retry-after': '45' } }]);
    const targets = destinations(teamsDestination('ops', card.url));
    const store = newStore(azurite.connectionString());
    for (let i = 0; i < 3; i++) await storeEvaluation(store, evaluationOf(brokenVm(), i), 0);
    expect(await run(store, targets, 1)).toMatchObject({ due: 3, requests: 1, retrying: 3 });
    const rows = await store.alerts('pending');
    expect(rows.map((r) => r.nextAttemptAt)).toEqual(Array(3).fill(at(46).toISOString()));
    expect(rows.map((r) => deliveriesOf(r).ops!.attempts).sort()).toEqual([0, 0, 1]);
    expect(await run(store, targets, 46)).toMatchObject({ requests: 3, delivered: 3 });
  });

  it('two deliverers at once: each intent is claimed by one and sent once', async () => {
    const card = await teams();
    const hook = await webhook();
    const targets = destinations(teamsDestination('ops', card.url), webhookDestination('siem', hook.url));
    const connection = azurite.connectionString();
    const table = `alertsrace${process.pid}`;
    await storeEvaluation(newStore(connection, table), evaluationOf(brokenVm()), 0);
    const [a, b] = await Promise.all([run(newStore(connection, table), targets, 1), run(newStore(connection, table), targets, 1)]);
    expect(a.requests + b.requests).toBe(2);
    expect(card.requests).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
  });

  it('logs name destinations, never their URLs or secrets', async () => {
    const card = await teams([{ status: 500 }]);
    const refused = await closedPortUrl();
    const targets = destinations(teamsDestination('ops', card.url), webhookDestination('siem', refused));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    const lines: unknown[] = [];
    const log: AlertLog = (level, message, fields) => lines.push({ level, message, fields });
    await run(store, targets, 1, { log });
    await run(store, targets, 100, { log });
    const text = JSON.stringify(lines) + JSON.stringify(await store.alerts('all'));
    expect(text).toContain('"destination":"ops"');
    expect(text).toContain('connection refused');
    for (const secret of [card.url, refused, 'sig=', '127.0.0.1', WEBHOOK_SECRET]) expect(text).not.toContain(secret);
  });

  it('a run out of time starts no more requests; what it did not send stays due for the next run', async () => {
    const card = await teams();
    const targets = destinations(teamsDestination('ops', card.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    expect(await run(store, targets, 1, { runBudgetMs: -1 })).toMatchObject({ due: 1, requests: 0, retrying: 1 });
    const [row] = await store.alerts('pending');
    expect(deliveriesOf(row!).ops).toEqual({ state: 'pending', attempts: 0 });
    expect(await run(store, targets, 2)).toMatchObject({ due: 1, requests: 1, delivered: 1 });
  });

  it('an intent this version cannot read is marked failed, not retried forever', async () => {
    const card = await teams();
    const targets = destinations(teamsDestination('ops', card.url));
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    const [row] = await store.dueAlerts(at(1).toISOString(), 1);
    await store.saveAlert({ ...row!, transitions: '[{"kind":"exploded"}]' });
    expect(await run(store, targets, 1)).toMatchObject({ due: 1, requests: 0, failed: 1 });
    expect(deliveriesOf((await store.alerts('failed'))[0]!)).toEqual({
      '(unreadable)': { state: 'failed', attempts: 0, lastError: 'the intent cannot be read by this version (permanent)' },
    });
  });

  it('with no destinations configured, intents stay pending', async () => {
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    expect(await run(store, [], 1)).toMatchObject({ due: 0, requests: 0 });
    expect((await store.alerts('pending')).length).toBe(1);
  });
});
