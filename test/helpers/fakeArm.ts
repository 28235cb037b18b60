import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { idKey } from '../../core/armModel/armId.js';
import { PROTECTED_ITEM_TYPE } from '../../core/sweep/fleetQueries.js';

/** A reply the fake sends instead of the real one: throttling, server errors. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  /** How many requests it answers; Infinity for every one. */
  times: number;
  /** Never answer at all (a hung peer): `status` is then not sent. */
  hang?: boolean;
}

export interface FakeArm {
  url: string;
  /** Sends the SDK's requests (to https://management.azure.com) to this server instead; the bearer policy stays on. */
  httpClient: HttpClient;
  credential: TokenCredential;
  /** Stores REST-shaped resources by id (a later put replaces); a put that changes a resource records a change. */
  put(...resources: Record<string, unknown>[]): void;
  remove(id: string): void;
  /** Forgets every resource, change, the quota and bucket history, and the clock (a test's own fleet from here on). */
  reset(): void;
  /** The time Resource Graph's `resourcechanges` stamps a change with (default: the real clock). */
  now: () => Date;
  /** What `resourcechanges` holds: one record per put that changed a resource, and per remove. */
  changes: ResourceChange[];
  skus: Record<string, unknown>[];
  /** Faults by a substring of the lower-cased request path. */
  fail(pathPart: string, fault: Fault): void;
  clearFaults(): void;
  requests: { method: string; path: string }[];
  /** Resource Graph's per-user quota (default 15 queries per 5 s) and ARM's subscription read bucket (250, +25/s). */
  limits: { graphQueries: number; graphWindowMs: number; armBucket: number; armRefillPerSecond: number };
  /** Requests answered 429 because a limit was hit. */
  throttled: { graph: number; arm: number };
  close(): Promise<void>;
}

/** A `resourcechanges` record, reduced to what the sweep reads (`properties.targetResourceId`, ...). */
export interface ResourceChange {
  targetResourceId: string;
  targetResourceType: string;
  changeType: 'Create' | 'Update' | 'Delete';
  timestamp: string;
}

const ARM = 'https://management.azure.com';

/** The ids of a narrowed query's `| where <column> in ('a', 'b')` line, or null when it is not narrowed. */
function narrowedTo(query: string): Set<string> | null {
  const list = /^\| where \S+ in \((.*)\)$/m.exec(query)?.[1];
  if (list === undefined) return null;
  return new Set([...list.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')));
}

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
 * A fake Azure Resource Manager on 127.0.0.1 for the real SDK clients: resource GETs by id (case-insensitive), a
 * resource group's resources of one type, the subscription's locks, the Compute SKUs list, and Recovery Services' backup status, from resources the test puts.
 */
export async function startFakeArm(): Promise<FakeArm> {
  const resources = new Map<string, Record<string, unknown>>();
  const faults: { part: string; fault: Fault }[] = [];
  const requests: { method: string; path: string }[] = [];
  const fake = { skus: [] as Record<string, unknown>[], now: () => new Date() };
  const changes: ResourceChange[] = [];
  const recordChange = (resource: Record<string, unknown>, changeType: ResourceChange['changeType']) =>
    void changes.push({
      targetResourceId: String(resource.id),
      targetResourceType: String(resource.type).toLowerCase(),
      changeType,
      timestamp: fake.now().toISOString(),
    });
  const limits = { graphQueries: 15, graphWindowMs: 5000, armBucket: 250, armRefillPerSecond: 25 };
  const throttled = { graph: 0, arm: 0 };
  const graphWindow: number[] = [];
  const buckets = new Map<string, { tokens: number; at: number }>();
  const all = (type: string) => [...resources.values()].filter((r) => String(r.type).toLowerCase() === type);
  const propsOf = (r: Record<string, unknown>) => (r.properties ?? {}) as Record<string, unknown>;

  // Query results are computed once per version of the resources (a 10,000-VM fleet is paged through 10 times).
  let version = 0;
  const cache = new Map<string, unknown[]>();
  const graphRows = (query: string): unknown[] => {
    const tag = /^\/\/ vmbg:([\w-]+)/.exec(query)?.[1] ?? '';
    if (tag === 'resource-changes') return changedSince(query);
    if (tag === 'change-owners' || tag === 'changed-items') return ownersOf(tag, narrowedTo(query) ?? new Set());
    const only = narrowedTo(query);
    if (only)
      return graphRows(query.replace(/^\| where \S+ in \(.*\)$/m, '')).filter((r) =>
        only.has(idKey(String((r as { vmId?: string; id?: string }).vmId ?? (r as { id: string }).id))),
      );
    const key = `${tag}@${version}`;
    let rows = cache.get(key);
    if (!rows) {
      cache.clear();
      rows = computeGraphRows(tag, query);
      cache.set(key, rows);
    }
    return rows;
  };
  const byVm = (list: Record<string, unknown>[], vmIdOf: (r: Record<string, unknown>) => string) => {
    const map = new Map<string, Record<string, unknown>[]>();
    for (const r of list) {
      const vmId = vmIdOf(r);
      if (vmId) map.set(vmId, [...(map.get(vmId) ?? []), r]);
    }
    return map;
  };

  /** The rows of a tagged Resource Graph query, computed from the stored resources as the KQL would. */
  const computeGraphRows = (tag: string, query: string): unknown[] => {
    switch (tag) {
      case 'protected-vms': {
        const vms = new Map(all('microsoft.compute/virtualmachines').map((vm) => [idKey(String(vm.id)), vm]));
        const disksByVm = byVm(all('microsoft.compute/disks'), (d) => String(d.managedBy ?? '').toLowerCase());
        const nicsByVm = byVm(all('microsoft.network/networkinterfaces'), (n) =>
          String((propsOf(n).virtualMachine as { id?: string })?.id ?? '').toLowerCase(),
        );
        return all('microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems')
          .filter((item) => String(propsOf(item).backupManagementType ?? '').toLowerCase() === 'azureiaasvm')
          .flatMap((item) => {
            const vmId = String(propsOf(item).sourceResourceId ?? '').toLowerCase();
            const vm = vms.get(vmId);
            if (!vm) return [];
            const { instanceView: _dropped, ...vmProperties } = propsOf(vm); // Resource Graph has no instance view
            const disks = disksByVm.get(vmId) ?? [];
            const nics = nicsByVm.get(vmId) ?? [];
            return [{ vmId, vm: { ...vm, properties: vmProperties }, item, ...(disks.length ? { disks } : {}), ...(nics.length ? { nics } : {}) }];
          })
          .sort((a, b) => a.vmId.localeCompare(b.vmId));
      }
      case 'public-ips':
        return all('microsoft.network/publicipaddresses');
      case 'backup-policies':
        return all('microsoft.recoveryservices/vaults/backuppolicies');
      case 'vaults':
        return all('microsoft.recoveryservices/vaults');
      default:
        throw new Error(`the fake Resource Graph does not know this query: ${query.slice(0, 60)}`);
    }
  };

  /** The rows of `resourceChangesQuery`: changes after its `datetime(...)`, one per resource (latest change). */
  const changedSince = (query: string): unknown[] => {
    const since = Date.parse(/\bdatetime\(([^)]+)\)/.exec(query)?.[1] ?? '');
    if (Number.isNaN(since)) throw new Error('the resource-changes query has no datetime(...) lower bound');
    const latest = new Map<string, ResourceChange>();
    for (const change of changes)
      if (Date.parse(change.timestamp) > since && query.includes(`'${change.targetResourceType}'`)) latest.set(idKey(change.targetResourceId), change);
    return [...latest.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([targetId, change]) => ({ targetId, targetType: change.targetResourceType, changedAt: change.timestamp }));
  };

  /** The rows of `changeOwnersQuery` and `changedItemsQuery`: each named resource that exists, with its VM as the KQL maps it. */
  const ownersOf = (tag: string, ids: ReadonlySet<string>): unknown[] => {
    const current = (id: string) => resources.get(idKey(id));
    const nicVm = (nicId: string) => String((propsOf(current(nicId) ?? {}).virtualMachine as { id?: string })?.id ?? '').toLowerCase();
    const vmOf = (resource: Record<string, unknown>): string => {
      const p = propsOf(resource);
      switch (String(resource.type).toLowerCase()) {
        case 'microsoft.compute/disks':
          return String(resource.managedBy ?? '').toLowerCase();
        case 'microsoft.network/networkinterfaces':
          return nicVm(String(resource.id));
        case 'microsoft.network/publicipaddresses':
          return nicVm(
            String((p.ipConfiguration as { id?: string })?.id ?? '')
              .toLowerCase()
              .split('/ipconfigurations/')[0]!,
          );
        case PROTECTED_ITEM_TYPE:
          return tag === 'changed-items' ? String(p.sourceResourceId ?? '').toLowerCase() : '';
        default:
          return '';
      }
    };
    const wanted =
      tag === 'changed-items'
        ? [PROTECTED_ITEM_TYPE]
        : ['microsoft.compute/disks', 'microsoft.network/networkinterfaces', 'microsoft.network/publicipaddresses'];
    return [...ids].sort().flatMap((id) => {
      const resource = current(id);
      if (!resource || !wanted.includes(String(resource.type).toLowerCase())) return [];
      return [{ targetId: id, vmId: vmOf(resource) }];
    });
  };

  /** ARM's token bucket per subscription: an empty bucket answers 429, as ARM does. */
  const takeArmToken = (path: string): boolean => {
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase() ?? 'tenant';
    const now = Date.now();
    const bucket = buckets.get(subscription) ?? { tokens: limits.armBucket, at: now };
    bucket.tokens = Math.min(limits.armBucket, bucket.tokens + ((now - bucket.at) / 1000) * limits.armRefillPerSecond);
    bucket.at = now;
    buckets.set(subscription, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = decodeURIComponent(url.pathname).replace(/\/$/, '');
      const lower = path.toLowerCase();
      requests.push({ method: req.method ?? 'GET', path });
      const fault = faults.find((f) => lower.includes(f.part) && f.fault.times > 0);
      if (fault) {
        fault.fault.times -= 1;
        if (fault.fault.hang) return;
        return send(res, fault.fault.status, { error: { code: 'FakeFault', message: `fault injected on ${path}` } }, fault.fault.headers);
      }
      if (req.method === 'POST' && lower === '/providers/microsoft.resourcegraph/resources') {
        const now = Date.now();
        while (graphWindow.length > 0 && graphWindow[0]! <= now - limits.graphWindowMs) graphWindow.shift();
        const resetsAfter = graphWindow.length > 0 ? Math.ceil((graphWindow[0]! + limits.graphWindowMs - now) / 1000) : Math.ceil(limits.graphWindowMs / 1000);
        const quotaHeaders = (remaining: number) => ({
          'x-ms-user-quota-remaining': String(remaining),
          'x-ms-user-quota-resets-after': `00:00:${String(resetsAfter).padStart(2, '0')}`,
        });
        if (graphWindow.length >= limits.graphQueries) {
          throttled.graph += 1;
          return send(
            res,
            429,
            { error: { code: 'RateLimiting', message: 'Please provide below info when asking for support' } },
            { ...quotaHeaders(0), 'retry-after': String(resetsAfter) },
          );
        }
        graphWindow.push(now);
        const body = (await readBody(req)) as { query: string; options?: { $top?: number; $skipToken?: string } };
        const rows = graphRows(body.query);
        const top = body.options?.$top ?? 1000;
        const offset = body.options?.$skipToken ? Number(Buffer.from(body.options.$skipToken, 'base64').toString()) : 0;
        const data = rows.slice(offset, offset + top);
        const next = offset + top < rows.length ? Buffer.from(String(offset + top)).toString('base64') : undefined;
        return send(
          res,
          200,
          { totalRecords: rows.length, count: data.length, data, resultTruncated: 'false', ...(next ? { $skipToken: next } : {}) },
          quotaHeaders(limits.graphQueries - graphWindow.length),
        );
      }
      if (!takeArmToken(path)) {
        throttled.arm += 1;
        return send(res, 429, { error: { code: 'TooManyRequests', message: 'subscription read bucket empty' } }, { 'retry-after': '1' });
      }
      if (req.method === 'POST' && /\/providers\/microsoft\.recoveryservices\/locations\/[^/]+\/backupstatus$/.test(lower)) {
        const body = (await readBody(req)) as { resourceId?: string };
        const item = [...resources.values()].find(
          (r) =>
            String(r.type).toLowerCase().endsWith('/protecteditems') &&
            idKey(String((r.properties as Record<string, unknown>)?.sourceResourceId ?? '')) === idKey(body.resourceId ?? ''),
        );
        if (!item) return send(res, 200, { protectionStatus: 'NotProtected' });
        const id = String(item.id);
        const part = (segment: string) => id.split('/')[id.split('/').findIndex((p) => p.toLowerCase() === segment) + 1];
        return send(res, 200, {
          protectionStatus: 'Protected',
          vaultId: id.slice(0, id.toLowerCase().indexOf('/backupfabrics/')),
          fabricName: part('backupfabrics'),
          containerName: part('protectioncontainers'),
          protectedItemName: part('protecteditems'),
          policyName: String((item.properties as Record<string, unknown>).policyId)
            .split('/')
            .pop(),
        });
      }
      if (req.method !== 'GET') return send(res, 405, { error: { code: 'MethodNotAllowed', message: req.method } });
      const locks = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.authorization\/locks$/.exec(lower);
      if (locks)
        return send(res, 200, {
          value: [...resources.values()].filter(
            (r) => String(r.type).toLowerCase() === 'microsoft.authorization/locks' && idKey(String(r.id)).startsWith(`/subscriptions/${locks[1]}`),
          ),
        });
      if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/skus$/.test(lower)) return send(res, 200, { value: fake.skus });
      const vmList = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.compute\/virtualmachines$/.exec(lower);
      if (vmList) {
        // Pages of 1,000 with a nextLink, like ARM; statusOnly=true lists instance views only.
        const statusOnly = url.searchParams.get('statusOnly') === 'true';
        const vms = all('microsoft.compute/virtualmachines').filter((r) => idKey(String(r.id)).startsWith(`/subscriptions/${vmList[1]}/`));
        const offset = Number(url.searchParams.get('$skiptoken') ?? 0);
        const page = vms
          .slice(offset, offset + 1000)
          .map((vm) =>
            statusOnly ? { id: vm.id, name: vm.name, type: vm.type, location: vm.location, properties: { instanceView: propsOf(vm).instanceView } } : vm,
          );
        const nextLink =
          offset + 1000 < vms.length
            ? `https://management.azure.com${url.pathname}?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), $skiptoken: String(offset + 1000) })}`
            : undefined;
        return send(res, 200, { value: page, ...(nextLink ? { nextLink } : {}) });
      }
      // A resource group's resources of one type (disks, NICs, public IPs): one page, as ARM returns up to a thousand.
      const groupList = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+)\/providers\/([^/]+\/[^/]+)$/.exec(lower);
      if (groupList) return send(res, 200, { value: all(groupList[2]!).filter((r) => idKey(String(r.id)).startsWith(`${groupList[1]}/`)) });
      const resource = resources.get(idKey(path));
      if (!resource) return send(res, 404, { error: { code: 'ResourceNotFound', message: `The Resource '${path}' was not found.` } });
      return send(res, 200, resource);
    })().catch((error: unknown) => send(res, 500, { error: { code: 'FakeBug', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ...clientOf(url),
    put: (...list) => {
      version += 1;
      for (const r of list) {
        const before = resources.get(idKey(String(r.id)));
        // Like Resource Graph: a write that changes nothing records no change.
        if (!before || JSON.stringify(before) !== JSON.stringify(r)) recordChange(r, before ? 'Update' : 'Create');
        resources.set(idKey(String(r.id)), structuredClone(r));
      }
    },
    remove: (id) => {
      version += 1;
      const before = resources.get(idKey(id));
      if (before) recordChange(before, 'Delete');
      resources.delete(idKey(id));
    },
    reset: () => {
      version += 1;
      resources.clear();
      changes.splice(0);
      fake.now = () => new Date();
      graphWindow.splice(0);
      buckets.clear();
    },
    get now() {
      return fake.now;
    },
    set now(value) {
      fake.now = value;
    },
    changes,
    get skus() {
      return fake.skus;
    },
    set skus(value) {
      fake.skus = value;
    },
    limits,
    throttled,
    fail: (part, fault) => void faults.push({ part: part.toLowerCase(), fault }),
    clearFaults: () => void faults.splice(0),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A hung request (a `hang` fault) keeps its connection open; close would wait for it.
        server.closeAllConnections();
      }),
  };
}

/** What the SDK clients need to reach a fake ARM at `url`: an HTTP client that rewrites ARM's address, a credential. */
function clientOf(url: string): Pick<FakeArm, 'httpClient' | 'credential'> {
  const inner = createDefaultHttpClient();
  return {
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
  };
}

/**
 * The fake ARM on another thread (a benchmark keeps its request handling off the thread it measures): the part a
 * benchmark uses, over a message port. Each call is answered once the fake has applied it, so a put is in place
 * before the next request is sent.
 */
export interface RemoteFakeArm extends Pick<FakeArm, 'url' | 'httpClient' | 'credential'> {
  put(...resources: Record<string, unknown>[]): Promise<void>;
  setLimits(limits: Partial<FakeArm['limits']>): Promise<void>;
  /** How many requests the fake has answered so far. */
  requestCount(): Promise<number>;
  close(): Promise<void>;
}

type RemoteBody =
  | { op: 'put'; resources: Record<string, unknown>[] }
  | { op: 'limits'; limits: Partial<FakeArm['limits']> }
  | { op: 'requests' }
  | { op: 'close' };
type RemoteCall = RemoteBody & { id: number };

/** The worker's side: starts a fake ARM, posts its URL, then serves calls from `port` until `close`. */
export async function serveFakeArm(port: MessagePort): Promise<void> {
  const arm = await startFakeArm();
  port.on('message', async (call: RemoteCall) => {
    let value: unknown;
    if (call.op === 'put') arm.put(...call.resources);
    else if (call.op === 'limits') Object.assign(arm.limits, call.limits);
    else if (call.op === 'requests') value = arm.requests.length;
    else await arm.close();
    port.postMessage({ id: call.id, value });
    if (call.op === 'close') port.close();
  });
  port.postMessage({ url: arm.url });
}

/** The calling side, for a port whose other end runs serveFakeArm. */
export async function remoteFakeArm(port: MessagePort): Promise<RemoteFakeArm> {
  const url = await new Promise<string>((resolve) => port.once('message', (message: { url: string }) => resolve(message.url)));
  let next = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  port.on('message', (reply: { id: number; value: unknown }) => {
    waiting.get(reply.id)?.(reply.value);
    waiting.delete(reply.id);
  });
  const call = <T>(body: RemoteBody) =>
    new Promise<T>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (value: unknown) => void);
      port.postMessage({ id, ...body });
    });
  return {
    url,
    ...clientOf(url),
    put: (...resources) => call({ op: 'put', resources }),
    setLimits: (limits) => call({ op: 'limits', limits }),
    requestCount: () => call<number>({ op: 'requests' }),
    close: async () => {
      await call({ op: 'close' });
      port.close();
    },
  };
}
