import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverDueAlerts, type DeliverOptions } from '../../core/alerts/deliverAlerts.js';
import { afterAttempt, jitterOf, readDeliveries } from '../../core/alerts/deliveryState.js';
import { parseAlertDestinations } from '../../core/alerts/destinations.js';
import type { FindingsStore } from '../../core/store/index.js';
import { useAzurite } from '../helpers/azurite.js';
import { at, brokenVm, evaluationOf, newStore, storeEvaluation, WEBHOOK_SECRET } from './alertFixtures.js';
import { type Receiver, StandardWebhookReceiver } from './receivers.js';

const azurite = useAzurite();
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function receiver(secret: string, faults: ConstructorParameters<typeof StandardWebhookReceiver>[1] = []) {
  const r = await new StandardWebhookReceiver(secret, faults).start();
  receivers.push(r);
  return r;
}

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;

async function storeWithVms(count: number): Promise<FindingsStore> {
  const store = newStore(azurite.connectionString());
  for (let i = 0; i < count; i++) await storeEvaluation(store, evaluationOf(brokenVm(), i), 0);
  return store;
}

/** The library checks timestamps against the real clock: these runs use it, not the simulated one. */
function run(store: FindingsStore, entries: Record<string, unknown>[], options: Partial<DeliverOptions> = {}) {
  return deliverDueAlerts(store, parseAlertDestinations(JSON.stringify(entries)), { now: new Date(), timeoutMs: 2_000, jitter: () => 0, ...options });
}

describe('Standard Webhooks', () => {
  it('receivers verify with the standardwebhooks library: a plain secret (format raw) and a whsec_ secret', async () => {
    const store = await storeWithVms(1);
    const secret = whsec();
    const [plain, standard] = [await receiver(WEBHOOK_SECRET), await receiver(secret)];
    const report = await run(store, [
      { name: 'plain', type: 'webhook', url: plain.url, secret: WEBHOOK_SECRET },
      { name: 'std', type: 'webhook', url: standard.url, secret },
    ]);
    expect([plain.refusals, standard.refusals]).toEqual([[], []]);
    expect(report.delivered).toBe(1);
    const [payload] = standard.accepted;
    expect(payload!.schema).toBe('vm-backup-guard.alert/v1');
    expect(payload!.transitions.find((t) => t.ruleId === 'compute.min-size')!.message).toMatch(/Standard_B1s has 1 vCPU: backup needs at least 2 vCPUs/);
    // The id is the idempotency key: the same on every retry, which is what the spec asks of webhook-id.
    const request = standard.requests[0]!;
    expect(request.headers['webhook-id']).toBe(payload!.idempotencyKey);
    expect(request.headers['x-vmbg-idempotency-key']).toBe(payload!.idempotencyKey);
  });

  it('a wrong secret is refused by the library (the negative control)', async () => {
    const store = await storeWithVms(1);
    const other = await receiver(whsec());
    await run(store, [{ name: 'std', type: 'webhook', url: other.url, secret: whsec() }]);
    expect(other.accepted).toEqual([]);
    expect(other.refusals).toEqual(['No matching signature found']);
  });

  it('rotation: with two secrets both signatures are sent, so a receiver on either secret accepts', async () => {
    const store = await storeWithVms(1);
    const [newSecret, oldSecret] = [whsec(), whsec()];
    const [onOld, onNew] = [await receiver(oldSecret), await receiver(newSecret)];
    await run(store, [
      { name: 'old-side', type: 'webhook', url: onOld.url, secret: [newSecret, oldSecret] },
      { name: 'new-side', type: 'webhook', url: onNew.url, secret: [newSecret, oldSecret] },
    ]);
    expect([onOld.accepted.length, onNew.accepted.length]).toEqual([1, 1]);
    expect(String(onOld.requests[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('410 Gone fails the destination at once: no retries, and no more requests in the run', async () => {
    const store = await storeWithVms(3);
    const gone = await receiver(WEBHOOK_SECRET, [{ status: 410 }, { status: 410 }, { status: 410 }]);
    const report = await run(store, [{ name: 'gone', type: 'webhook', url: gone.url, secret: WEBHOOK_SECRET }]);
    expect(gone.requests).toHaveLength(1);
    expect(report).toMatchObject({ due: 3, failed: 3, retrying: 0, requests: 1 });
    const rows = await store.alerts('failed');
    expect(rows.map((r) => readDeliveries(r)!.gone!.lastError)).toEqual(Array(3).fill('HTTP 410 Gone (the endpoint is gone) (permanent)'));
    // A 404 is refused too, but it does not say the endpoint is gone: the next intent is still tried.
    const store404 = await storeWithVms(2);
    const missing = await receiver(WEBHOOK_SECRET, [{ status: 404 }, { status: 404 }]);
    await run(store404, [{ name: 'gone', type: 'webhook', url: missing.url, secret: WEBHOOK_SECRET }]);
    expect(missing.requests).toHaveLength(2);
  });
});

describe('back-off jitter', () => {
  const transient = { kind: 'transient', status: 503, error: 'HTTP 503', retryAfterSeconds: null } as const;
  const fresh = { state: 'pending', attempts: 0 } as const;
  const deadline = at(86_400).getTime();

  it('stretches the wait by up to a quarter, never shortens it, and leaves Retry-After exact', () => {
    const waits = [0, 0.5, 0.999].map(
      (j) => (Date.parse(afterAttempt(fresh, transient, 'webhook', at(0), deadline, j).nextAttemptAt!) - at(0).getTime()) / 1000,
    );
    expect(waits).toEqual([30, 33.75, 37.493]);
    expect(afterAttempt(fresh, { ...transient, retryAfterSeconds: 7 }, 'webhook', at(0), deadline, 0.9).nextAttemptAt).toBe(at(7).toISOString());
  });

  it('differs between intents (so they do not retry in a herd) and repeats for the same attempt', () => {
    const draws = Array.from({ length: 200 }, (_, i) => jitterOf(`key-${i}`, 'siem', 1));
    expect(new Set(draws.map((d) => Math.floor(d * 10))).size).toBe(10);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    expect(jitterOf('key-1', 'siem', 1)).toBe(draws[1]);
    expect(jitterOf('key-1', 'siem', 2)).not.toBe(draws[1]);
  });

  it('a delivery run spreads the retries of intents that failed together (pinned jitter is the control)', async () => {
    const failing = (n: number) => Array.from({ length: n }, () => ({ status: 503 }));
    const times = async (options: Partial<DeliverOptions>) => {
      const store = await storeWithVms(2);
      const down = await receiver(WEBHOOK_SECRET, failing(2));
      await deliverDueAlerts(store, parseAlertDestinations(JSON.stringify([{ name: 'siem', type: 'webhook', url: down.url, secret: WEBHOOK_SECRET }])), {
        now: at(0),
        timeoutMs: 2_000,
        ...options,
      });
      // The first failure blocks the destination for the run; the second intent waits as long as the first.
      const rows = await store.alerts('pending');
      return new Set(rows.map((r) => readDeliveries(r)!.siem!.nextAttemptAt ?? 'none'));
    };
    const spread = await times({});
    const pinned = await times({ jitter: () => 0 });
    expect(pinned).toEqual(new Set([at(30).toISOString()]));
    expect([...spread].every((t) => Date.parse(t) > at(30).getTime() && Date.parse(t) <= at(37.5).getTime())).toBe(true);
  });
});
