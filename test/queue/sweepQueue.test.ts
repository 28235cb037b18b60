import { HttpRequest, InvocationContext, type LogLevel, type StorageQueueHandler } from '@azure/functions';
import { beforeEach, describe, expect, it } from 'vitest';
import { alertsCommand } from '../../cli/commands/alerts.js';
import type { CliIo } from '../../cli/io.js';
import { getAlerts } from '../../functions/findingsApi.js';
import { sweepWorker } from '../../functions/sweepWorker.js';
import { ResourceGraph } from '../../core/inventory/arm/resourceGraph.js';
import { queueDispatch } from '../../core/queue/sweepQueue.js';
import { setServicesForTesting, type Services } from '../../core/runtime/services.js';
import { runSweep, SweepFailure, type SweepDispatch } from '../../core/sweep/runSweep.js';
import { cleanInventory, ITEM_ID, RG, type Json } from '../helpers/cleanVm.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';
import { drainSweepQueue as pump, sweepQueueOf as queues } from '../helpers/sweepQueue.js';

const env = useLiveEnvironment();
beforeEach(() => env.arm().reset());

/** `n` protected VMs; every other one on a 1-vCPU size, so that their findings differ. */
function putFleet(n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const doc: Json = cleanInventory();
    const vm = doc.virtualMachines[0];
    vm.id = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-q-${i}`;
    vm.name = `vm-q-${i}`;
    if (i % 2 === 1) vm.properties.hardwareProfile.vmSize = 'Standard_B1s';
    doc.protectedItems[0].id = `${ITEM_ID}-${i}`;
    doc.protectedItems[0].properties.sourceResourceId = vm.id;
    for (const list of Object.values(doc)) env.arm().put(...(list as Record<string, unknown>[]));
    ids.push(vm.id);
  }
  return ids;
}

function sweep(services: Services, dispatch?: SweepDispatch) {
  return runSweep(services, new ResourceGraph(services.arm), { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 60_000 }, dispatch);
}

/** Each VM's findings as `rule state`, and its fingerprint: what an evaluation left in the store. */
async function stored(services: Services, ids: readonly string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const vm = await services.store.readVm(id);
      return { id, fingerprint: vm.summary?.fingerprint ?? null, findings: [...vm.findings.values()].map((f) => `${f.ruleId} ${f.state}`).sort() };
    }),
  );
}

/** Counts what a dispatch is handed, by VM id. */
function recording(dispatch: SweepDispatch): { dispatch: SweepDispatch; sent: string[] } {
  const sent: string[] = [];
  return { sent, dispatch: async (work) => void (sent.push(work.vmId), await dispatch(work)) };
}

/** The coalesced events' poison queue, reported beside the sweep's (empty in these tests). */
const eventsPoison = (sweepQueue: string) => ({ queue: `${sweepQueue.replace(/-sweep$/, '-events')}-poison`, count: 0, messages: [] });

describe('sweep work through the queue', () => {
  it('re-evaluates the same VMs, to the same findings, as the inline sweep; nothing before the worker runs', async () => {
    const ids = putFleet(6);
    const inline = env.services();
    const inlineResult = await sweep(inline);
    const queued = env.services();
    const { queue } = await queues(queued);
    const queuedResult = await sweep(queued, queueDispatch(queue));
    expect(queuedResult).toEqual(inlineResult);
    expect(queuedResult).toMatchObject({ evaluated: 6, reasons: { new: 6 } });

    // Control: the sweep only enqueued; the store is untouched until the worker runs.
    expect((await stored(queued, ids)).every((vm) => vm.fingerprint === null && vm.findings.length === 0)).toBe(true);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(6);
    const first = (await queue.peekMessages()).peekedMessageItems[0]!;
    expect(JSON.parse(Buffer.from(first.messageText, 'base64').toString('utf8'))).toMatchObject({ kind: 'snapshot' });

    expect(await pump(queued)).toEqual({ runs: 6, succeeded: 6, failed: 0, poisoned: 0 });
    const inlineStore = await stored(inline, ids);
    expect(await stored(queued, ids)).toEqual(inlineStore);
    expect(inlineStore.filter((vm) => vm.findings.includes('compute.min-size open'))).toHaveLength(3);
    // The worker's writes made the projection rows match: the next sweep sends nothing.
    expect(await sweep(queued, queueDispatch(queue))).toMatchObject({ evaluated: 0, unchanged: 6 });
  });

  it('a lost enqueue is recovered by the next sweep: that VM still differs, so it is sent again', async () => {
    const ids = putFleet(4);
    const services = env.services();
    const { queue } = await queues(services);
    const lost = ids[2]!;
    const enqueue = queueDispatch(queue);
    const failing: SweepDispatch = (work) => (work.vmId === lost ? Promise.reject(new Error('queue unavailable')) : enqueue(work));
    const failure = await sweep(services, failing).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SweepFailure);
    expect((failure as SweepFailure).evaluated).toBe(3);
    await pump(services);
    expect((await stored(services, ids)).map((vm) => vm.fingerprint !== null)).toEqual([true, true, false, true]);

    const next = recording(enqueue);
    expect(await sweep(services, next.dispatch)).toMatchObject({ evaluated: 1, reasons: { new: 1 } });
    expect(next.sent).toEqual([lost]);
    await pump(services);
    expect((await stored(services, [lost]))[0]!.fingerprint).not.toBeNull();
    // Control: recovered, the fleet matches; nothing is sent again.
    const after = recording(enqueue);
    expect(await sweep(services, after.dispatch)).toMatchObject({ evaluated: 0 });
    expect(after.sent).toEqual([]);
  });

  it('a message lost in the queue (deleted, expired) is recovered the same way', async () => {
    const ids = putFleet(3);
    const services = env.services();
    const { queue } = await queues(services);
    const enqueue = queueDispatch(queue);
    await sweep(services, enqueue);
    const [taken] = (await queue.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
    await queue.deleteMessage(taken!.messageId, taken!.popReceipt);
    const lost = JSON.parse(Buffer.from(taken!.messageText, 'base64').toString('utf8')).vmId as string;
    expect(await pump(services)).toMatchObject({ succeeded: 2 });

    const next = recording(enqueue);
    await sweep(services, next.dispatch);
    expect(next.sent).toEqual([lost]);
    await pump(services);
    expect((await stored(services, ids)).every((vm) => vm.fingerprint !== null)).toBe(true);
  });
});

async function alertsListJson(services: Services) {
  let stdout = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, env: {}, stdoutIsTty: false };
  const connectionString = (services.settings.storage as { connectionString: string }).connectionString;
  const args = ['list', '--store', connectionString, '--table', services.settings.findingsTable];
  expect(await alertsCommand([...args, '--format', 'json'], io)).toBe(0);
  const json = JSON.parse(stdout);
  stdout = '';
  await alertsCommand(args, io);
  return { json, table: stdout };
}

async function apiAlerts(services: Services) {
  setServicesForTesting(services);
  const response = await getAlerts(
    new HttpRequest({ url: 'http://localhost/api/alerts?state=all', method: 'GET' }),
    new InvocationContext({ functionName: 'getAlerts' }),
  );
  expect(response.status).toBe(200);
  return response.jsonBody as { items: unknown[]; poison: unknown };
}

describe('poison messages', () => {
  it('work that fails every retry lands in the poison queue after 5 dequeues, and alerts list and /api/alerts show it', async () => {
    const [vmId] = putFleet(1) as [string];
    const services = env.services();
    const { queue, name } = await queues(services);
    // A reread needs ARM, and ARM fails for this VM whatever the retries: a failure the worker throws on.
    await queueDispatch(queue)({ kind: 'reread', vmId, reason: 'dirty' });
    env.arm().fail('/virtualmachines/vm-q-0', { status: 500, times: Infinity });
    const logs: unknown[][] = [];
    const report = await pump(services, sweepWorker, { log: (_level: LogLevel, ...args: unknown[]) => void logs.push(args) }).finally(() =>
      env.arm().clearFaults(),
    );
    expect(report).toEqual({ runs: 5, succeeded: 0, failed: 5, poisoned: 1 });
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
    expect(logs.filter((l) => l[0] === 'sweep work failed; the host will retry it').map((l) => (l[1] as { dequeueCount: number }).dequeueCount)).toEqual([
      1, 2, 3, 4, 5,
    ]);

    const { json, table } = await alertsListJson(services);
    expect(json).toEqual({
      alerts: [],
      count: 0,
      invalid: [],
      skippedRows: 0,
      poison: [
        { queue: `${name}-poison`, count: 1, messages: [{ id: expect.any(String), insertedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), vmId }] },
        eventsPoison(name),
      ],
    });
    expect(table).toContain(`Poison queue ${name}-poison: 1 message (work that failed every retry)`);
    expect(table).toContain(vmId);
    expect((await apiAlerts(services)).poison).toEqual(json.poison);
  });

  it('control: work that succeeds on its 5th try is not poisoned, and nothing shows', async () => {
    const [vmId] = putFleet(1) as [string];
    const services = env.services();
    const { queue, name } = await queues(services);
    await queueDispatch(queue)({ kind: 'reread', vmId, reason: 'dirty' });
    let tries = 0;
    const flaky: StorageQueueHandler = async (message, context) => {
      if (++tries < 5) throw new Error('storage busy');
      await sweepWorker(message, context);
    };
    expect(await pump(services, flaky)).toEqual({ runs: 5, succeeded: 1, failed: 4, poisoned: 0 });
    expect((await services.store.readVm(vmId)).summary).not.toBeNull();
    const { json, table } = await alertsListJson(services);
    expect(json.poison).toEqual([{ queue: `${name}-poison`, count: 0, messages: [] }, eventsPoison(name)]);
    expect(table).toBe('No alerts match.\n');
    expect((await apiAlerts(services)).poison).toEqual(json.poison);
  });

  it('a message that is not sweep work is logged by its id, never its content, and dropped without retries', async () => {
    const [vmId] = putFleet(1) as [string];
    const services = env.services();
    const { queue } = await queues(services);
    await queue.createIfNotExists();
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    const notJson = await queue.sendMessage(base64('SECRET-CONTENT not json'));
    const notWork = await queue.sendMessage(base64(JSON.stringify({ kind: 'snapshot', vmId: 'SECRET-CONTENT' })));
    await queueDispatch(queue)({ kind: 'reread', vmId, reason: 'dirty' });
    const logs: unknown[][] = [];
    const report = await pump(services, sweepWorker, { log: (_level: LogLevel, ...args: unknown[]) => void logs.push(args) });
    expect(report).toEqual({ runs: 3, succeeded: 3, failed: 0, poisoned: 0 });
    const dropped = logs.filter((l) => l[0] === 'sweep message dropped').map((l) => l[1]);
    expect(dropped).toEqual(
      expect.arrayContaining([
        { messageId: notJson.messageId, dequeueCount: 1, problem: 'not JSON' },
        { messageId: notWork.messageId, dequeueCount: 1, problem: 'not sweep work' },
      ]),
    );
    expect(JSON.stringify(logs)).not.toContain('SECRET-CONTENT');
    // Control: the well-formed message beside them was done.
    expect((await services.store.readVm(vmId)).summary).not.toBeNull();
  });

  it('a message that is not base64 goes to the poison queue at once, as the host does; the report shows it without a VM', async () => {
    const services = env.services();
    const { queue, name } = await queues(services);
    await queue.createIfNotExists();
    await queue.sendMessage('{"raw": "not base64"}');
    expect(await pump(services)).toEqual({ runs: 0, succeeded: 0, failed: 0, poisoned: 1 });
    const { json } = await alertsListJson(services);
    expect(json.poison).toEqual([{ queue: `${name}-poison`, count: 1, messages: [expect.objectContaining({ vmId: null })] }, eventsPoison(name)]);
  });
});
