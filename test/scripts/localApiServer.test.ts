import type { HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../functions/httpRoutes.js';
import { functionAppRoutes, startLocalApiServer, type LocalApiServer } from '../../scripts/localApiServer.js';

/** `npm start`'s server: the host's routing and key check in front of the route tables the Function App registers. */
const echo =
  (name: string): HttpRoute['handler'] =>
  async (request: HttpRequest) => ({
    status: 200,
    jsonBody: {
      name,
      params: request.params,
      query: Object.fromEntries(request.query),
      method: request.method,
      body: request.method === 'PUT' ? await request.text() : null,
    },
  });
const ROUTES: HttpRoute[] = [
  { name: 'list', methods: ['GET'], route: 'vms', handler: echo('list') },
  { name: 'one', methods: ['GET'], route: 'vms/{subscriptionId}/{resourceGroup}/{vmName}', handler: echo('one') },
  { name: 'put', methods: ['PUT'], route: 'exemptions/{id}', handler: echo('put') },
];

let server: LocalApiServer;
beforeAll(async () => {
  server = await startLocalApiServer({ routes: ROUTES, functionKey: 'k3y' });
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.apiUrl}${path}`, { headers });

describe('the local API server', () => {
  it('routes by method and route template, with the parameters decoded', async () => {
    expect(await (await get('vms?code=k3y&severity=error')).json()).toMatchObject({ name: 'list', query: { code: 'k3y', severity: 'error' } });
    expect(await (await get('vms/s-1/rg%20x/vm-1', { 'x-functions-key': 'k3y' })).json()).toMatchObject({
      name: 'one',
      params: { subscriptionId: 's-1', resourceGroup: 'rg x', vmName: 'vm-1' },
    });
    const put = await fetch(`${server.apiUrl}exemptions/e-1?code=k3y`, { method: 'PUT', body: '{"a":1}' });
    expect(await put.json()).toMatchObject({ name: 'put', params: { id: 'e-1' }, body: '{"a":1}' });
    expect((await get('vms/s-1/rg?code=k3y')).status).toBe(404);
    expect((await fetch(`${server.apiUrl}vms?code=k3y`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a missing or wrong key with 401, as the host does', async () => {
    expect((await get('vms')).status).toBe(401);
    expect((await get('vms?code=k3y-not')).status).toBe(401);
    expect((await get('vms', { 'x-functions-key': 'K3Y' })).status).toBe(401);
    expect(server.requests.filter((r) => r.status === 401).every((r) => !r.keyed)).toBe(true);
  });

  it('serves the rule pages and nothing else from disk', async () => {
    const page = await fetch(new URL('/docs/rules/compute.min-size.md', server.apiUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await page.text()).toContain('compute.min-size');
    for (const path of ['/docs/rules/no-such-rule.md', '/docs/rules/%2e%2e%2fREADME.md', '/package.json', '/docs/deploy.md']) {
      expect({ path, status: (await fetch(new URL(path, server.apiUrl))).status }).toEqual({ path, status: 404 });
    }
  });

  it('knows every HTTP function the Function App registers', async () => {
    const names = (await functionAppRoutes()).map((r) => r.name).sort();
    expect(names).toEqual([
      'dashboard',
      'deleteExemption',
      'getAlerts',
      'getChanges',
      'getFindings',
      'getRules',
      'getSubscriptions',
      'getSummary',
      'getVm',
      'listExemptions',
      'listVms',
      'putExemption',
    ]);
  });
});
