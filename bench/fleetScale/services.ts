import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { getEdition } from '../../core/matrix/editions/index.js';
import { servicesFrom, type Services } from '../../core/runtime/services.js';
import { FindingsStore } from '../../core/store/index.js';
import { RowCounter } from './rowCounter.js';

const ARM = 'https://management.azure.com';
const HOUR = 3_600_000;

/**
 * The bench's clock: real time plus an offset the bench moves forward an hour between phases, so the sweep mark and
 * the fake's change records fall in order (the incremental sweep reads changes since the last sweep's start minus a
 * ten-minute overlap: without moving time, the changes the bench itself just made would all be "recent").
 */
export function benchClock(offsetMs: number): () => Date {
  return () => new Date(Date.now() + offsetMs);
}
export const hours = (n: number) => n * HOUR;

/** Sends the SDKs' ARM requests to the fake ARM on 127.0.0.1 (in this process or the bench's parent); nothing else. */
function loopbackArm(fakeUrl: string): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    sendRequest: (request) => {
      if (request.url.startsWith(ARM)) request.url = fakeUrl + request.url.slice(ARM.length);
      else if (!request.url.startsWith(fakeUrl)) throw new Error(`a bench request would leave the machine: ${new URL(request.url).host}`);
      request.allowInsecureConnection = true;
      return inner.sendRequest(request);
    },
  };
}

export interface BenchServices {
  services: Services;
  counter: RowCounter;
}

/**
 * The app's own services (servicesFrom: the same ARM access, size catalogue and edition the functions use), with
 * the findings store connected through a row-counting TableClient, a static credential, and the bench's clock.
 */
export function benchServices(options: { connectionString: string; table: string; armUrl: string; clock: () => Date; tableRows?: number }): BenchServices {
  const counter = new RowCounter();
  counter.tableRows = options.tableRows ?? 0;
  const credential = { getToken: async () => ({ token: 'bench-token', expiresOnTimestamp: Date.now() + HOUR }) };
  const services = servicesFrom(
    {
      storage: { kind: 'connectionString', connectionString: options.connectionString },
      findingsTable: options.table,
      edition: getEdition('2026-03'),
      armEndpoint: ARM,
      // A week: no VM is re-evaluated for age during the bench, whose clock moves a few hours.
      sweep: { subscriptions: [], maxAgeMs: 7 * 24 * HOUR, timeBudgetMs: 60 * 60_000 },
    },
    { credential: async () => credential, httpClient: loopbackArm(options.armUrl), now: options.clock },
  );
  const store = FindingsStore.connect({ connectionString: options.connectionString }, options.table, {
    additionalPolicies: [{ policy: counter.policy, position: 'perCall' }],
  });
  return { services: { ...services, store }, counter };
}
