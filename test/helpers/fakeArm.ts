import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { idKey } from '../../shared/snapshot/armId.js';

/** A reply the fake sends instead of the real one: throttling, server errors. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  /** How many requests it answers; Infinity for every one. */
  times: number;
}

export interface FakeArm {
  url: string;
  /** Sends the SDK's requests (to https://management.azure.com) to this server instead; the bearer policy stays on. */
  httpClient: HttpClient;
  credential: TokenCredential;
  /** Stores REST-shaped resources by id (a later put replaces). */
  put(...resources: Record<string, unknown>[]): void;
  remove(id: string): void;
  skus: Record<string, unknown>[];
  /** Faults by a substring of the lower-cased request path. */
  fail(pathPart: string, fault: Fault): void;
  clearFaults(): void;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const ARM = 'https://management.azure.com';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-ms-request-id': 'fake', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

/**
 * A fake Azure Resource Manager on 127.0.0.1 for the real SDK clients: resource GETs by id (case-insensitive), the
 * subscription's locks, the Compute SKUs list, and Recovery Services' backup status, from resources the test puts.
 */
export async function startFakeArm(): Promise<FakeArm> {
  const resources = new Map<string, Record<string, unknown>>();
  const faults: { part: string; fault: Fault }[] = [];
  const requests: { method: string; path: string }[] = [];
  const fake = { skus: [] as Record<string, unknown>[] };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = decodeURIComponent(url.pathname).replace(/\/$/, '');
      const lower = path.toLowerCase();
      requests.push({ method: req.method ?? 'GET', path });
      const fault = faults.find((f) => lower.includes(f.part) && f.fault.times > 0);
      if (fault) {
        fault.fault.times -= 1;
        return send(res, fault.fault.status, { error: { code: 'FakeFault', message: `fault injected on ${path}` } }, fault.fault.headers);
      }
      if (req.method === 'POST' && /\/providers\/microsoft\.recoveryservices\/locations\/[^/]+\/backupstatus$/.test(lower)) {
        const body = (await readBody(req)) as { resourceId?: string };
        const item = [...resources.values()].find((r) => String(r.type).toLowerCase().endsWith('/protecteditems') && idKey(String((r.properties as Record<string, unknown>)?.sourceResourceId ?? '')) === idKey(body.resourceId ?? ''));
        if (!item) return send(res, 200, { protectionStatus: 'NotProtected' });
        const id = String(item.id);
        const part = (segment: string) => id.split('/')[id.split('/').findIndex((p) => p.toLowerCase() === segment) + 1];
        return send(res, 200, { protectionStatus: 'Protected', vaultId: id.slice(0, id.toLowerCase().indexOf('/backupfabrics/')), fabricName: part('backupfabrics'), containerName: part('protectioncontainers'), protectedItemName: part('protecteditems'), policyName: String((item.properties as Record<string, unknown>).policyId).split('/').pop() });
      }
      if (req.method !== 'GET') return send(res, 405, { error: { code: 'MethodNotAllowed', message: req.method } });
      const locks = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.authorization\/locks$/.exec(lower);
      if (locks) return send(res, 200, { value: [...resources.values()].filter((r) => String(r.type).toLowerCase() === 'microsoft.authorization/locks' && idKey(String(r.id)).startsWith(`/subscriptions/${locks[1]}`)) });
      if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/skus$/.test(lower)) return send(res, 200, { value: fake.skus });
      const vmList = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.compute\/virtualmachines$/.exec(lower);
      if (vmList) return send(res, 200, { value: [...resources.values()].filter((r) => String(r.type).toLowerCase() === 'microsoft.compute/virtualmachines' && idKey(String(r.id)).startsWith(`/subscriptions/${vmList[1]}/`)) });
      const resource = resources.get(idKey(path));
      if (!resource) return send(res, 404, { error: { code: 'ResourceNotFound', message: `The Resource '${path}' was not found.` } });
      return send(res, 200, resource);
    })().catch((error: unknown) => send(res, 500, { error: { code: 'FakeBug', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const inner = createDefaultHttpClient();
  return {
    url,
    httpClient: {
      sendRequest: (request) => {
        // A retried request arrives already rewritten; anything else would leave the machine.
        if (request.url.startsWith(ARM)) request.url = url + request.url.slice(ARM.length);
        else if (!request.url.startsWith(url)) throw new Error(`a test request would leave the machine: ${request.url}`);
        request.allowInsecureConnection = true;
        return inner.sendRequest(request);
      },
    },
    credential: { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    put: (...list) => {
      for (const r of list) resources.set(idKey(String(r.id)), structuredClone(r));
    },
    remove: (id) => void resources.delete(idKey(id)),
    get skus() {
      return fake.skus;
    },
    set skus(value) {
      fake.skus = value;
    },
    fail: (part, fault) => void faults.push({ part: part.toLowerCase(), fault }),
    clearFaults: () => void faults.splice(0),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
