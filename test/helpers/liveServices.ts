import { afterAll, beforeAll } from 'vitest';
import { getEdition } from '../../core/matrix/editions/index.js';
import { servicesFrom, setServicesForTesting, type Services } from '../../core/runtime/services.js';
import { startLocalAzurite, type LocalAzurite } from '../../scripts/localAzurite.js';
import { freshTableName } from './azurite.js';
import { startFakeArm, type FakeArm } from './fakeArm.js';

/**
 * Azurite and the fake ARM server for a test file, and a way to build the function's services on them (each with
 * its own table). No request of a test leaves 127.0.0.1, and no credential probes anything.
 */
export function useLiveEnvironment() {
  let azurite: LocalAzurite | null = null;
  let arm: FakeArm | null = null;
  beforeAll(async () => {
    [azurite, arm] = await Promise.all([startLocalAzurite(), startFakeArm()]);
    // Real Resource Graph allows 15 queries per 5 s; tests that are not about the quota should not wait for it.
    arm.limits.graphQueries = 10_000;
  });
  afterAll(async () => {
    setServicesForTesting(null);
    await Promise.all([azurite?.close(), arm?.close()]);
  });
  return {
    arm: () => arm!,
    /** Fresh services (own table), installed as the functions' services. */
    services(options: { edition?: string; now?: () => Date } = {}): Services {
      const services = servicesFrom(
        {
          storage: { kind: 'connectionString', connectionString: azurite!.connectionString },
          findingsTable: freshTableName(),
          edition: getEdition(options.edition ?? '2026-03'),
          armEndpoint: 'https://management.azure.com',
          sweep: { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 240_000 },
        },
        {
          credential: async () => arm!.credential,
          httpClient: arm!.httpClient,
          retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
          ...(options.now ? { now: options.now } : {}),
        },
      );
      setServicesForTesting(services);
      return services;
    },
  };
}

let events = 0;

/** A subscription-topic event in the Event Grid schema, shaped like test/fixtures/eventgrid. */
export function armEvent(eventType: string, resourceUri: string, operationName: string, id = `event-${++events}`) {
  return {
    subject: resourceUri,
    eventType: `Microsoft.Resources.${eventType}`,
    eventTime: '2026-11-26T10:00:00.0000000Z',
    id,
    data: {
      authorization: { scope: resourceUri, action: operationName, evidence: { role: 'Contributor' } },
      claims: { appid: '00000000-0000-0000-0000-000000000000' },
      correlationId: `correlation-${id}`,
      resourceProvider: operationName.split('/')[0],
      resourceUri,
      operationName,
      status: 'Succeeded',
      subscriptionId: resourceUri.split('/')[2],
      tenantId: '00000000-0000-0000-0000-000000000001',
    },
    dataVersion: '2',
    metadataVersion: '1',
    topic: `/subscriptions/${resourceUri.split('/')[2]}`,
  };
}
