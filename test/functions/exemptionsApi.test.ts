import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteExemption, listExemptions, putExemption } from '../../functions/exemptionsApi.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { servicesFrom, setServicesForTesting } from '../../core/runtime/services.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { VM_ID } from '../helpers/cleanVm.js';

const azurite = useAzurite();
const NOW = new Date('2026-11-26T10:00:00.000Z');

function install(): void {
  const services = servicesFrom(
    {
      storage: { kind: 'connectionString', connectionString: azurite.connectionString() },
      findingsTable: freshTableName(),
      edition: getEdition('2026-03'),
      armEndpoint: 'http://127.0.0.1:1',
      sweep: { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 240_000 },
    },
    {
      credential: async () => {
        throw new Error('no credential in tests');
      },
      now: () => NOW,
    },
  );
  setServicesForTesting(services);
}
afterEach(() => setServicesForTesting(null));

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
function call(
  handler: Handler,
  method: string,
  path: string,
  options: { id?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResponseInit> {
  const request = new HttpRequest({
    url: `http://localhost/api/${path}`,
    method,
    ...(options.id !== undefined ? { params: { id: options.id } } : {}),
    ...(options.body !== undefined ? { body: { string: JSON.stringify(options.body) } } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return handler(request, new InvocationContext({ functionName: 'x', logHandler: () => undefined }));
}

const body = { scope: VM_ID, rules: ['compute.min-size'], category: 'mitigated', reason: 'protected by another tool', expiresOn: '2027-01-01' };

describe('the exemptions API', () => {
  it('PUT adds (201) then replaces (200), GET lists with the audit trail, DELETE removes (204) then 404', async () => {
    install();
    const created = await call(putExemption, 'PUT', 'exemptions/shared-disks', {
      id: 'shared-disks',
      body,
      headers: { 'x-ms-client-principal-name': 'ops@contoso.com' },
    });
    expect(created.status).toBe(201);
    expect(created.jsonBody).toMatchObject({ id: 'shared-disks', createdBy: 'ops@contoso.com', createdAt: NOW.toISOString(), category: 'mitigated' });
    expect((await call(putExemption, 'PUT', 'exemptions/shared-disks', { id: 'shared-disks', body: { ...body, createdBy: 'lead' } })).status).toBe(200);
    const listed = await call(listExemptions, 'GET', 'exemptions?audit=true');
    expect(listed.status).toBe(200);
    const list = listed.jsonBody as { exemptions: { id: string; createdBy: string }[]; audit: { action: string; by: string }[] };
    expect(list.exemptions.map((e) => [e.id, e.createdBy])).toEqual([['shared-disks', 'lead (stated)']]);
    expect(list.audit.map((a) => [a.action, a.by])).toEqual([
      ['added', 'ops@contoso.com'],
      ['replaced', 'lead (stated)'],
    ]);
    expect((await call(deleteExemption, 'DELETE', 'exemptions/shared-disks', { id: 'shared-disks' })).status).toBe(204);
    expect((await call(deleteExemption, 'DELETE', 'exemptions/shared-disks', { id: 'shared-disks' })).status).toBe(404);
  });

  it('refuses an unknown rule id, a body id other than the route, and unknown parameters (400), storing nothing', async () => {
    install();
    const unknown = await call(putExemption, 'PUT', 'exemptions/x', { id: 'x', body: { ...body, rules: ['compute.min-sise'] } });
    expect(unknown).toMatchObject({ status: 400, jsonBody: { error: 'rules: unknown rule id "compute.min-sise"' } });
    expect((await call(putExemption, 'PUT', 'exemptions/x', { id: 'x', body: { ...body, id: 'y' } })).status).toBe(400);
    expect((await call(listExemptions, 'GET', 'exemptions?state=open')).status).toBe(400);
    expect((await call(listExemptions, 'GET', 'exemptions')).jsonBody).toEqual({ exemptions: [] });
  });
});
