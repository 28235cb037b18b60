import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceGraph } from '../../core/inventory/arm/resourceGraph.js';
import { withDeadline } from '../../core/platform/callDeadline.js';
import { FindingsStore } from '../../core/store/index.js';
import { runSweep } from '../../core/sweep/runSweep.js';
import { VM_ID } from '../helpers/cleanVm.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';

// Hung peers: a Table endpoint that accepts connections and never answers, and the fake ARM told to hang.
const env = useLiveEnvironment();
let silent: Server;
let silentPort = 0;
const sockets = new Set<import('node:net').Socket>();
beforeAll(async () => {
  silent = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const silentTable = () =>
  `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:${silentPort}/devstoreaccount1;`;
const noRetries = { retryOptions: { maxRetries: 0 } };
const elapsed = async (work: () => Promise<unknown>) => {
  const start = Date.now();
  const outcome = await work().then(
    () => 'resolved',
    () => 'rejected',
  );
  return { outcome, ms: Date.now() - start };
};

describe('no outbound call waits forever', () => {
  it('a Table call times out per try', async () => {
    const store = FindingsStore.connect({ connectionString: silentTable() }, 'findings', { tryTimeoutMs: 300, ...noRetries });
    const { outcome, ms } = await elapsed(() => store.readVm(VM_ID));
    expect(outcome).toBe('rejected');
    expect(ms).toBeLessThan(3_000);
  }, 10_000);

  it('a Table call in flight is aborted by the deadline it runs under', async () => {
    const store = FindingsStore.connect({ connectionString: silentTable() }, 'findings', noRetries);
    const { outcome, ms } = await elapsed(() => withDeadline(300, () => store.readVm(VM_ID)));
    expect(outcome).toBe('rejected');
    expect(ms).toBeLessThan(3_000);
  }, 10_000);

  it('a Resource Graph query times out per try', async () => {
    const services = env.services();
    env.arm().fail('/providers/microsoft.resourcegraph/resources', { status: 0, hang: true, times: 1 });
    const graph = new ResourceGraph({ ...services.arm, tryTimeoutMs: 300, retry: { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 1 } });
    const { outcome, ms } = await elapsed(() => graph.page([], 'resources', null));
    expect(outcome).toBe('rejected');
    expect(ms).toBeLessThan(3_000);
    env.arm().clearFaults();
  }, 10_000);

  it("the sweep's budget aborts a call in flight: the run ends incomplete within the budget, not a timeout later", async () => {
    const services = env.services();
    env.arm().fail('/providers/microsoft.resourcegraph/resources', { status: 0, hang: true, times: Number.POSITIVE_INFINITY });
    const start = Date.now();
    const result = await runSweep(services, new ResourceGraph(services.arm), { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 500 });
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(result.complete).toBe(false);
    env.arm().clearFaults();
  }, 15_000);
});

describe('a deadline shared by many calls in flight', () => {
  /** Node's warnings seen while `work` runs (they are emitted on a later tick). */
  async function warningsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listener = (warning: Error) => seen.push(warning.name);
    process.on('warning', listener);
    try {
      await work();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', listener);
    }
    return seen;
  }

  it('draws no leak warning from 20 concurrent Table calls (11 listeners on a bare signal do: the control)', async () => {
    const store = env.services().store as FindingsStore;
    const calls = await warningsDuring(() => withDeadline(10_000, () => Promise.all(Array.from({ length: 20 }, () => store.readVm(VM_ID)))));
    expect(calls).not.toContain('MaxListenersExceededWarning');

    const bare = new AbortController().signal;
    const control = await warningsDuring(async () => {
      for (let i = 0; i < 11; i++) bare.addEventListener('abort', () => {});
    });
    expect(control).toContain('MaxListenersExceededWarning');
  });
});
