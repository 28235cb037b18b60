import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { getAlerts, getChanges, getFindings, getRules, getSubscriptions, getSummary, getVm, listVms } from '../../functions/findingsApi.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import type { Evaluation } from '../../core/matrix/evaluate.js';
import { servicesFrom, setServicesForTesting } from '../../core/runtime/services.js';
import { recentChanges, type FindingsStore, type FindingView } from '../../core/store/index.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { cleanInventory, OTHER_SUB, SUB, VM_ID, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';

const azurite = useAzurite();
const trigger = { kind: 'cli' as const };
const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;
const vmIdOf = (subscription: string, group: string, name: string) =>
  `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`;

/** Services on a fresh Azurite table, installed for the handlers; the credential factory must never be called. */
function install(connectionString = azurite.connectionString(), now?: () => Date): FindingsStore {
  const services = servicesFrom(
    {
      storage: { kind: 'connectionString', connectionString },
      findingsTable: freshTableName(),
      edition: getEdition('2026-03'),
      armEndpoint: 'http://127.0.0.1:1',
      sweep: { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 240_000 },
    },
    {
      credential: async () => {
        throw new Error('no credential in tests');
      },
      ...(now ? { now } : {}),
    },
  );
  setServicesForTesting(services);
  return services.store;
}
afterEach(() => setServicesForTesting(null));

// Documents that move known rules: broken → compute.min-size (error) + policy.daylight-saving (info);
// stopped → consistency.vm-not-running (warning); blind (no instance view) → agent.ready + consistency.vm-not-running (unknown).
function broken(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return doc;
}
function stopped(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.instanceView.statuses[1] = { code: 'PowerState/stopped', level: 'Info', displayStatus: 'VM stopped' };
  return doc;
}
function blind(): Json {
  const doc = cleanInventory();
  delete doc.virtualMachines[0].properties.instanceView;
  return doc;
}

/** The document's evaluation, stored under another VM id: the store takes identity from the evaluation. */
const evaluationAs = (vmId: string, doc: Json): Evaluation => ({ ...evaluateDocument(doc, '2026-03')[0]!, vmId, vmName: vmId.split('/').at(-1)! });
const apply = (store: FindingsStore, vmId: string, doc: Json, minute: number) =>
  store.applyEvaluation(evaluationAs(vmId, doc), { location: 'westeurope', observedAt: at(minute), trigger, now: at(minute) });

const APP = VM_ID;
const WEB = vmIdOf(SUB, 'RG-Web', 'VM-Web-01');
const WEB2 = vmIdOf(SUB, 'rg-web', 'vm-web-02');
const OTHER = vmIdOf(OTHER_SUB, 'rg-app', 'vm-app-01');
const FIXED = vmIdOf(SUB, 'rg-app', 'vm-fixed-01');
const GONE = vmIdOf(SUB, 'rg-web', 'vm-gone-01');
const LABEL: Record<string, string> = { [APP]: 'app', [WEB]: 'web', [WEB2]: 'web2', [OTHER]: 'other', [FIXED]: 'fixed', [GONE]: 'gone' };

/** Six VMs in two subscriptions: 7 open findings, 3 resolved (fixed, and a deleted VM). */
async function seedFleet(now?: () => Date): Promise<FindingsStore> {
  const store = install(undefined, now);
  await apply(store, APP, broken(), 1);
  await apply(store, WEB, blind(), 1);
  await apply(store, WEB2, stopped(), 1);
  await apply(store, OTHER, broken(), 1);
  await apply(store, FIXED, broken(), 1);
  await apply(store, FIXED, cleanInventory(), 2);
  await apply(store, GONE, stopped(), 1);
  await store.applyDeletion(GONE, { observedAt: at(2), trigger: { kind: 'event', id: 'e-1' }, now: at(2) });
  return store;
}

interface Call {
  response: HttpResponseInit;
  logs: { level: string; args: unknown[] }[];
}

async function call(handler: typeof getFindings, path: string, query: [string, string][] = [], params?: Record<string, string>): Promise<Call> {
  const logs: Call['logs'] = [];
  const search = new URLSearchParams(query).toString();
  const request = new HttpRequest({ url: `http://localhost/api/${path}${search ? `?${search}` : ''}`, method: 'GET', ...(params ? { params } : {}) });
  const context = new InvocationContext({ functionName: 'x', logHandler: (level, ...args) => logs.push({ level, args }) });
  return { response: await handler(request, context), logs };
}
const findings = async (query: Record<string, string> | [string, string][] = {}) =>
  (await call(getFindings, 'findings', Array.isArray(query) ? query : Object.entries(query))).response;
const keys = (response: HttpResponseInit) => (response.jsonBody.items as FindingView[]).map((f) => `${LABEL[f.vmId]} ${f.ruleId}`).sort();
const vmReport = async (subscriptionId: string, resourceGroup: string, vmName: string, query: [string, string][] = []) =>
  (await call(getVm, `vms/${subscriptionId}/${resourceGroup}/${vmName}`, query, { subscriptionId, resourceGroup, vmName })).response;
const summary = async (query: Record<string, string> = {}) => (await call(getSummary, 'summary', Object.entries(query))).response;

/** The public shape of one outcome of `doc` as stored for `vmId` at minute `minute`. */
function expectedView(vmId: string, doc: Json, ruleId: string, minute: number, resolved?: { at: number; reason: string }): FindingView {
  const outcome = evaluationAs(vmId, doc).outcomes.find((o) => o.ruleId === ruleId)!;
  const [, , subscriptionId, , resourceGroup] = vmId.split('/');
  return {
    vmId,
    vmName: vmId.split('/').at(-1)!,
    subscriptionId: subscriptionId!.toLowerCase(),
    resourceGroup: resourceGroup!.toLowerCase(),
    ruleId,
    state: resolved ? 'resolved' : 'open',
    outcome: outcome.outcome as FindingView['outcome'],
    severity: outcome.severity,
    message: outcome.message,
    evidence: JSON.parse(JSON.stringify(outcome.evidence)),
    citation: outcome.citation,
    edition: '2026-03',
    firstSeenAt: at(minute),
    lastSeenAt: at(minute),
    openedAt: at(minute),
    ...(resolved ? { resolvedAt: at(resolved.at), resolvedReason: resolved.reason } : {}),
    reopenCount: 0,
    docs: `docs/rules/${ruleId}.md`,
  };
}

const OPEN = [
  'app compute.min-size',
  'app policy.daylight-saving',
  'other compute.min-size',
  'other policy.daylight-saving',
  'web agent.ready',
  'web consistency.vm-not-running',
  'web2 consistency.vm-not-running',
];
const RESOLVED = ['fixed compute.min-size', 'fixed policy.daylight-saving', 'gone consistency.vm-not-running'];

describe('GET /api/findings', () => {
  it('returns open findings by default, each in its public shape', async () => {
    await seedFleet();
    const all = await findings();
    expect(all.status).toBe(200);
    expect(keys(all)).toEqual(OPEN);
    expect(all.jsonBody.continuationToken).toBeNull();
    expect(await findings({ vm: 'vm-app-01', subscription: SUB, rule: 'compute.min-size' })).toEqual({
      status: 200,
      jsonBody: { items: [expectedView(APP, broken(), 'compute.min-size', 1)], continuationToken: null, skippedRows: 0 },
    });
    expect(await findings({ vm: FIXED, state: 'resolved', rule: 'compute.min-size' })).toEqual({
      status: 200,
      jsonBody: { items: [expectedView(FIXED, broken(), 'compute.min-size', 1, { at: 2, reason: 'passed' })], continuationToken: null, skippedRows: 0 },
    });
    expect((await findings({ vm: GONE, state: 'all' })).jsonBody.items).toEqual([
      expectedView(GONE, stopped(), 'consistency.vm-not-running', 1, { at: 2, reason: 'vm-deleted' }),
    ]);
  });

  it('filters by each parameter, case-insensitively where ARM is', async () => {
    await seedFleet();
    const cases: [Record<string, string>, string[]][] = [
      [{ subscription: OTHER_SUB }, ['other compute.min-size', 'other policy.daylight-saving']],
      [{ subscription: SUB.toUpperCase() }, OPEN.filter((k) => !k.startsWith('other '))],
      [{ resourceGroup: 'rg-web' }, ['web agent.ready', 'web consistency.vm-not-running', 'web2 consistency.vm-not-running']],
      [{ resourceGroup: 'RG-WEB' }, ['web agent.ready', 'web consistency.vm-not-running', 'web2 consistency.vm-not-running']],
      [{ vm: 'VM-APP-01' }, ['app compute.min-size', 'app policy.daylight-saving', 'other compute.min-size', 'other policy.daylight-saving']],
      [{ vm: 'vm-app-01', subscription: SUB }, ['app compute.min-size', 'app policy.daylight-saving']],
      [{ vm: WEB.toLowerCase() }, ['web agent.ready', 'web consistency.vm-not-running']],
      [{ rule: 'compute.min-size' }, ['app compute.min-size', 'other compute.min-size']],
      [{ severity: 'warning' }, ['web2 consistency.vm-not-running']],
      [{ severity: 'info' }, ['app policy.daylight-saving', 'other policy.daylight-saving', 'web agent.ready', 'web consistency.vm-not-running']],
      [{ severity: 'error', subscription: OTHER_SUB }, ['other compute.min-size']],
      [{ outcome: 'unknown' }, ['web agent.ready', 'web consistency.vm-not-running']],
      [{ outcome: 'fail', resourceGroup: 'rg-web' }, ['web2 consistency.vm-not-running']],
      [{ state: 'resolved' }, RESOLVED],
      [{ state: 'all' }, [...OPEN, ...RESOLVED].sort()],
      [
        { state: 'all', rule: 'consistency.vm-not-running' },
        ['gone consistency.vm-not-running', 'web consistency.vm-not-running', 'web2 consistency.vm-not-running'],
      ],
      [{ state: 'resolved', resourceGroup: 'rg-web' }, ['gone consistency.vm-not-running']],
      [{ vm: 'vm-nobody' }, []],
    ];
    for (const [query, expected] of cases) {
      const response = await findings(query);
      expect({ query, status: response.status, keys: keys(response) }).toEqual({ query, status: 200, keys: expected });
    }
  });

  it('pages: 25 findings with pageSize 10 are 3 pages, every item exactly once, following continuationToken', async () => {
    const store = install();
    const ids = Array.from({ length: 12 }, (_, i) => vmIdOf(SUB, 'rg-page', `vm-page-${String(i).padStart(2, '0')}`));
    for (const id of ids) await apply(store, id, broken(), 1);
    await apply(store, vmIdOf(SUB, 'rg-page', 'vm-page-stopped'), stopped(), 1);
    const follow = async (query: Record<string, string>) => {
      const pages: FindingView[][] = [];
      let token: string | null = null;
      do {
        const response = await findings({ ...query, ...(token ? { continuationToken: token } : {}) });
        expect(response.status).toBe(200);
        pages.push(response.jsonBody.items);
        token = response.jsonBody.continuationToken;
        expect(pages.length).toBeLessThan(10);
      } while (token !== null);
      return pages;
    };
    const pages = await follow({ pageSize: '10' });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const seen = pages.flat().map((f) => `${f.vmName} ${f.ruleId}`);
    expect(new Set(seen).size).toBe(25);
    expect(seen.sort()).toEqual(
      [
        ...ids.flatMap((id) => [`${id.split('/').at(-1)} compute.min-size`, `${id.split('/').at(-1)} policy.daylight-saving`]),
        'vm-page-stopped consistency.vm-not-running',
      ].sort(),
    );
    // A filter applies on every page: the token is a position, not a query.
    const errors = await follow({ severity: 'error', pageSize: '5' });
    expect(errors.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(new Set(errors.flat().map((f) => f.vmName)).size).toBe(12);
    expect(errors.flat().every((f) => f.ruleId === 'compute.min-size')).toBe(true);
    expect((await follow({})).map((p) => p.length)).toEqual([25]);
    expect((await follow({ pageSize: '25' })).map((p) => p.length)).toEqual([25]);
  });

  it('refuses bad parameters with 400 naming the parameter', async () => {
    await seedFleet();
    const cases: [[string, string][], string][] = [
      [[['severity', 'critical']], 'severity: Invalid option: expected one of "error"|"warning"|"info"'],
      [[['state', 'closed']], 'state: Invalid option: expected one of "open"|"resolved"|"exempted"|"all"'],
      [[['outcome', 'pass']], 'outcome: Invalid option: expected one of "fail"|"unknown"'],
      [[['rule', 'compute.no-such-rule']], 'rule: must be a rule id (os.windows-client, os.windows-server-version, os.linux-unsupported, ...)'],
      [[['subscription', 'not-a-guid']], 'subscription: must be a subscription id (a GUID)'],
      [[['resourceGroup', 'rg app']], 'resourceGroup: may hold letters, digits, _ - . ( ) only'],
      [[['pageSize', '0']], 'pageSize: must be a whole number from 1 to 1000'],
      [[['pageSize', '5000']], 'pageSize: must be a whole number from 1 to 1000'],
      [[['pageSize', '1.5']], 'pageSize: must be a whole number from 1 to 1000'],
      [[['pageSize', 'ten']], 'pageSize: must be a whole number from 1 to 1000'],
      [[['continuationToken', '']], 'continuationToken: must not be empty'],
      [
        [['verbose', 'true']],
        'verbose: unknown parameter (expected subscription, resourceGroup, vm, rule, severity, outcome, state, pageSize, continuationToken)',
      ],
      [
        [
          ['severity', 'error'],
          ['severity', 'info'],
        ],
        'severity: given more than once',
      ],
    ];
    for (const [query, error] of cases) {
      expect({ query, response: await findings(query) }).toEqual({ query, response: { status: 400, jsonBody: { error } } });
    }
  });

  it('refuses a continuation token the store does not accept with 400 naming continuationToken', async () => {
    await seedFleet();
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    for (const token of ['garbage', '!!!', b64('null'), b64('{"nextPartitionKey":5}')]) {
      const { response, logs } = await call(getFindings, 'findings', [['continuationToken', token]]);
      expect({ token, response }).toEqual({
        token,
        response: { status: 400, jsonBody: { error: 'continuationToken: is not a token this query returned (start again without it)' } },
      });
      expect(logs.map((l) => l.level)).toEqual(['warning']);
    }
  });

  it('ignores the function key (code) and never logs it', async () => {
    await seedFleet();
    const { response, logs } = await call(getFindings, 'findings', [
      ['code', 'the-function-key'],
      ['rule', 'compute.min-size'],
    ]);
    expect(response.status).toBe(200);
    expect(keys(response)).toEqual(['app compute.min-size', 'other compute.min-size']);
    expect(JSON.stringify(logs)).not.toContain('the-function-key');
  });

  it('never returns other rows for OData injection attempts: refused with 400 or no rows', async () => {
    await seedFleet();
    const payloads = [
      "'",
      "''",
      "' or true or '",
      "' or 1 eq 1 or '",
      ') or (',
      "x') or (PartitionKey ne '",
      "PartitionKey ne ''",
      "vm-app-01' or PartitionKey ne '",
      "vm-app-01') or (PartitionKey ne ''",
      `${SUB}' or subscriptionId ne '`,
      "rg-app' or RowKey ne '",
      "compute.min-size' or true or '",
      "error' or severity ne '",
      "open' or state ne '",
      "a/b' or PartitionKey ne 'x",
      `${APP}' or PartitionKey ne '`,
      '%27 or true',
    ];
    const parameters = ['subscription', 'resourceGroup', 'vm', 'rule', 'severity', 'outcome', 'state', 'continuationToken'];
    for (const parameter of parameters) {
      for (const payload of payloads) {
        const response = await findings({ [parameter]: payload });
        const refused = response.status === 400 && String(response.jsonBody.error).startsWith(`${parameter}: `);
        const empty = response.status === 200 && response.jsonBody.items.length === 0 && response.jsonBody.continuationToken === null;
        expect({ parameter, payload, refusedOrEmpty: refused || empty }).toEqual({ parameter, payload, refusedOrEmpty: true });
      }
    }
    // A VM name is free text: hostile names reach the filter as data (escaped) and match nothing.
    for (const payload of payloads)
      expect({ payload, response: await findings({ vm: payload, state: 'all' }) }).toEqual({
        payload,
        response: { status: 200, jsonBody: { items: [], continuationToken: null, skippedRows: 0 } },
      });
  });

  it('answers an empty list before the first evaluation has created the table', async () => {
    install();
    expect(await findings({ state: 'all' })).toEqual({ status: 200, jsonBody: { items: [], continuationToken: null, skippedRows: 0 } });
  });

  it('a storage failure is 503 with a generic message; the cause is logged without secrets', async () => {
    const wrongKey = Buffer.alloc(64, 7).toString('base64');
    install(azurite.connectionString().replace(/AccountKey=[^;]+/, `AccountKey=${wrongKey}`));
    for (const [handler, path, params] of [
      [getFindings, 'findings', undefined],
      [getSummary, 'summary', undefined],
      [getVm, `vms/${SUB}/rg-app/vm-app-01`, { subscriptionId: SUB, resourceGroup: 'rg-app', vmName: 'vm-app-01' }],
    ] as const) {
      const { response, logs } = await call(handler, path, [], params);
      expect({ path, response }).toEqual({ path, response: { status: 503, jsonBody: { error: 'the findings store is unavailable; try again later' } } });
      expect(logs).toEqual([{ level: 'error', args: ['findings store failed', expect.objectContaining({ name: 'RestError', statusCode: 403 })] }]);
      expect(JSON.stringify(logs)).not.toContain(wrongKey);
      expect(JSON.stringify(logs)).not.toContain('SharedKey');
    }
  });
});

describe('GET /api/vms/{subscriptionId}/{resourceGroup}/{vmName}', () => {
  it('returns the VM: counts, restore readiness, findings (open first, worst first) and history', async () => {
    await seedFleet();
    expect(await vmReport(SUB, 'rg-app', 'vm-app-01')).toEqual({
      status: 200,
      jsonBody: {
        vmId: APP,
        vmName: 'vm-app-01',
        subscriptionId: SUB,
        resourceGroup: 'rg-app',
        location: 'westeurope',
        edition: '2026-03',
        state: 'present',
        lastEvaluatedAt: at(1),
        lastTrigger: { kind: 'cli' },
        open: { error: 1, warning: 0, info: 1, unknown: 0 },
        restore: JSON.parse(JSON.stringify(evaluationAs(APP, broken()).restore)),
        findings: [expectedView(APP, broken(), 'compute.min-size', 1), expectedView(APP, broken(), 'policy.daylight-saving', 1)],
        history: [
          { at: at(1), trigger: { kind: 'cli' }, edition: '2026-03', opened: ['compute.min-size', 'policy.daylight-saving'], resolved: [], changed: [] },
        ],
        skippedRows: 0,
      },
    });
  });

  it('keeps resolved findings and the history of a fixed VM and of a deleted one', async () => {
    await seedFleet();
    const fixed = (await vmReport(SUB, 'rg-app', 'vm-fixed-01')).jsonBody;
    expect(fixed.open).toEqual({ error: 0, warning: 0, info: 0, unknown: 0 });
    expect(fixed.findings).toEqual([
      expectedView(FIXED, broken(), 'compute.min-size', 1, { at: 2, reason: 'passed' }),
      expectedView(FIXED, broken(), 'policy.daylight-saving', 1, { at: 2, reason: 'passed' }),
    ]);
    expect(fixed.history.map((h: Json) => [h.at, h.opened, h.resolved])).toEqual([
      [at(1), ['compute.min-size', 'policy.daylight-saving'], []],
      [at(2), [], ['compute.min-size', 'policy.daylight-saving']],
    ]);
    const gone = (await vmReport(SUB, 'rg-web', 'vm-gone-01')).jsonBody;
    expect(gone).toMatchObject({ state: 'deleted', lastTrigger: { kind: 'event', id: 'e-1' }, lastEvaluatedAt: at(2) });
    expect(gone.history.at(-1)).toEqual({
      at: at(2),
      trigger: { kind: 'event', id: 'e-1' },
      edition: '2026-03',
      opened: [],
      resolved: ['consistency.vm-not-running'],
      changed: ['vm-deleted'],
    });
  });

  it('matches the VM case-insensitively and answers with the id as ARM spelt it', async () => {
    await seedFleet();
    for (const [subscription, group, name] of [
      [SUB, 'rg-web', 'vm-web-01'],
      [SUB.toUpperCase(), 'RG-WEB', 'VM-WEB-01'],
      [SUB, 'RG-Web', 'VM-Web-01'],
    ] as const) {
      const response = await vmReport(subscription, group, name);
      expect(response.status).toBe(200);
      expect(response.jsonBody).toMatchObject({ vmId: WEB, vmName: 'VM-Web-01', resourceGroup: 'rg-web', open: { error: 0, warning: 0, info: 0, unknown: 2 } });
      expect(response.jsonBody.findings.map((f: FindingView) => `${f.ruleId} ${f.outcome}`)).toEqual([
        'agent.ready unknown',
        'consistency.vm-not-running unknown',
      ]);
    }
    const upper = await vmReport(SUB, 'RG-APP', 'VM-APP-01');
    expect(upper.jsonBody.vmId).toBe(APP);
  });

  it('404 for an unknown VM (also in another subscription), 400 for a malformed route or an extra parameter', async () => {
    await seedFleet();
    expect(await vmReport(SUB, 'rg-app', 'vm-nobody')).toEqual({
      status: 404,
      jsonBody: { error: `no findings stored for VM ${vmIdOf(SUB, 'rg-app', 'vm-nobody')}` },
    });
    expect((await vmReport(OTHER_SUB, 'rg-web', 'vm-web-02')).status).toBe(404);
    expect(await vmReport('not-a-guid', 'rg-app', 'vm-app-01')).toEqual({
      status: 400,
      jsonBody: { error: 'subscriptionId: must be a subscription id (a GUID)' },
    });
    expect(await vmReport(SUB, "rg' or '1' eq '1", 'vm-app-01')).toEqual({
      status: 400,
      jsonBody: { error: 'resourceGroup: may hold letters, digits, _ - . ( ) only' },
    });
    expect(await vmReport(SUB, 'rg-app', 'x'.repeat(65))).toEqual({ status: 400, jsonBody: { error: 'vmName: is at most 64 characters' } });
    expect(await vmReport(SUB, 'rg-app', 'vm-app-01', [['state', 'all']])).toEqual({
      status: 400,
      jsonBody: { error: 'state: unknown parameter (this endpoint takes none)' },
    });
    for (const name of ["vm-app-01' or PartitionKey ne '", "') or (PartitionKey ne '", 'vm-app-01%27']) {
      expect({ name, status: (await vmReport(SUB, 'rg-app', name)).status }).toEqual({ name, status: 404 });
    }
  });
});

describe('GET /api/summary', () => {
  it('counts open findings by rule and severity, findings by state, and VMs', async () => {
    await seedFleet();
    expect(await summary()).toEqual({
      status: 200,
      jsonBody: {
        subscription: null,
        findings: {
          byState: { open: 7, resolved: 3, exempted: 0 },
          bySeverity: { error: 2, warning: 1, info: 4 },
          byOutcome: { fail: 5, unknown: 2 },
          byRule: { 'agent.ready': 1, 'compute.min-size': 2, 'consistency.vm-not-running': 2, 'policy.daylight-saving': 2 },
        },
        vms: { total: 6, withOpenErrors: 2, deleted: 1 },
      },
    });
    expect(await summary({ subscription: SUB.toUpperCase() })).toEqual({
      status: 200,
      jsonBody: {
        subscription: SUB,
        findings: {
          byState: { open: 5, resolved: 3, exempted: 0 },
          bySeverity: { error: 1, warning: 1, info: 3 },
          byOutcome: { fail: 3, unknown: 2 },
          byRule: { 'agent.ready': 1, 'compute.min-size': 1, 'consistency.vm-not-running': 2, 'policy.daylight-saving': 1 },
        },
        vms: { total: 5, withOpenErrors: 1, deleted: 1 },
      },
    });
  });

  it('agrees with the findings endpoint', async () => {
    await seedFleet();
    const counts = (await summary()).jsonBody.findings;
    for (const severity of ['error', 'warning', 'info'] as const)
      expect((await findings({ severity })).jsonBody.items).toHaveLength(counts.bySeverity[severity]);
    expect((await findings({ state: 'resolved' })).jsonBody.items).toHaveLength(counts.byState.resolved);
  });

  it('zero before any evaluation; 400 for a bad or unknown parameter, hostile values included', async () => {
    install();
    expect(await summary()).toEqual({
      status: 200,
      jsonBody: {
        subscription: null,
        findings: {
          byState: { open: 0, resolved: 0, exempted: 0 },
          bySeverity: { error: 0, warning: 0, info: 0 },
          byOutcome: { fail: 0, unknown: 0 },
          byRule: {},
        },
        vms: { total: 0, withOpenErrors: 0, deleted: 0 },
      },
    });
    expect(await summary({ subscription: 'nope' })).toEqual({ status: 400, jsonBody: { error: 'subscription: must be a subscription id (a GUID)' } });
    expect(await summary({ subscription: `${SUB}' or PartitionKey ne '` })).toEqual({
      status: 400,
      jsonBody: { error: 'subscription: must be a subscription id (a GUID)' },
    });
    expect(await summary({ rule: 'compute.min-size' })).toEqual({ status: 400, jsonBody: { error: 'rule: unknown parameter (expected subscription)' } });
  });
});

describe('GET /api/alerts', () => {
  it('lists alert intents by state (failed by default), parsed, without table keys', async () => {
    const store = await seedFleet();
    const pending = (await call(getAlerts, 'alerts', [['state', 'pending']])).response;
    expect(pending.status).toBe(200);
    const items = pending.jsonBody.items as Json[];
    expect(items.length).toBe((await store.alerts('pending')).length);
    expect(items.every((i) => Array.isArray(i.transitions) && !('partitionKey' in i) && !('etag' in i))).toBe(true);
    expect((await call(getAlerts, 'alerts')).response.jsonBody.items).toEqual([]);
    const bad = (await call(getAlerts, 'alerts', [['state', "failed' or 1 eq 1"]])).response;
    expect(bad.status).toBe(400);
    expect(bad.jsonBody.error).toMatch(/^state: /);
  });
});

describe('GET /api/vms', () => {
  const names = (response: HttpResponseInit) => (response.jsonBody.items as Json[]).map((v) => LABEL[v.vmId as string]).sort();
  const vms = async (query: Record<string, string> = {}) => (await call(listVms, 'vms', Object.entries(query))).response;

  it('lists each VM with matching findings once, with its open counts and restore readiness', async () => {
    await seedFleet();
    const errors = await vms({ severity: 'error' });
    expect(errors.status).toBe(200);
    expect(names(errors)).toEqual(['app', 'other']);
    const app = (errors.jsonBody.items as Json[]).find((v) => v.vmId === APP)!;
    expect(app).toEqual({
      vmId: APP,
      vmName: 'vm-app-01',
      subscriptionId: SUB,
      resourceGroup: 'rg-app',
      location: 'westeurope',
      state: 'present',
      lastEvaluatedAt: at(1),
      open: { error: 1, warning: 0, info: 1, unknown: 0 },
      restore: JSON.parse(JSON.stringify(evaluationAs(APP, broken()).restore)),
      matching: 1,
    });
    const cases: [Record<string, string>, string[]][] = [
      [{}, ['app', 'other', 'web', 'web2']],
      [{ state: 'resolved' }, ['fixed', 'gone']],
      [{ rule: 'consistency.vm-not-running' }, ['web', 'web2']],
      [{ resourceGroup: 'RG-WEB' }, ['web', 'web2']],
      [{ subscription: OTHER_SUB }, ['other']],
      [{ outcome: 'unknown' }, ['web']],
      [{ severity: 'warning', subscription: OTHER_SUB }, []],
    ];
    for (const [query, expected] of cases) expect({ query, names: names(await vms(query)) }).toEqual({ query, names: expected });
    expect((await vms({})).jsonBody.items.find((v: Json) => v.vmId === WEB).matching).toBe(2);
  });

  it('pages by VM: every VM exactly once across pages of one', async () => {
    await seedFleet();
    for (const query of [{}, { severity: 'info' }, { rule: 'policy.daylight-saving' }] as Record<string, string>[]) {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const response = await vms({ ...query, pageSize: '1', ...(token ? { continuationToken: token } : {}) });
        expect(response.status).toBe(200);
        expect(response.jsonBody.items.length).toBeLessThanOrEqual(1);
        seen.push(...response.jsonBody.items.map((v: Json) => LABEL[v.vmId]));
        token = response.jsonBody.continuationToken;
        expect(seen.length).toBeLessThan(10);
      } while (token !== null);
      expect({ query, seen: seen.sort() }).toEqual({ query, seen: names(await vms(query)) });
    }
  });

  it('refuses state=all, a bad page size or token, and an unknown parameter with 400', async () => {
    await seedFleet();
    expect((await vms({ state: 'all' })).jsonBody.error).toMatch(/^state: /);
    expect(await vms({ pageSize: '500' })).toEqual({ status: 400, jsonBody: { error: 'pageSize: must be a whole number from 1 to 200' } });
    expect((await vms({ continuationToken: 'garbage' })).status).toBe(400);
    expect((await vms({ vm: 'vm-app-01' })).jsonBody.error).toMatch(/^vm: unknown parameter/);
  });
});

describe('GET /api/subscriptions, /api/rules, /api/changes', () => {
  it('ranks subscriptions by open errors, then VMs with errors, then open findings', async () => {
    await seedFleet();
    const { response } = await call(getSubscriptions, 'subscriptions');
    expect(response).toEqual({
      status: 200,
      jsonBody: {
        items: [
          { subscriptionId: SUB, vms: 5, withOpenErrors: 1, deleted: 1, open: { error: 1, warning: 1, info: 3, unknown: 2 }, exempted: 0, resolved: 3 },
          { subscriptionId: OTHER_SUB, vms: 1, withOpenErrors: 1, deleted: 0, open: { error: 1, warning: 0, info: 1, unknown: 0 }, exempted: 0, resolved: 0 },
        ],
      },
    });
    expect((await call(getSubscriptions, 'subscriptions', [['rule', 'x']])).response.status).toBe(400);
  });

  it('ranks rules by open findings, each with its title, page and matrix row; narrowed to a subscription', async () => {
    await seedFleet();
    const { response } = await call(getRules, 'rules');
    expect(response.status).toBe(200);
    expect(response.jsonBody.edition).toBe('2026-03');
    expect(response.jsonBody.items.map((r: Json) => `${r.ruleId} ${r.open}`)).toEqual([
      'compute.min-size 2',
      'consistency.vm-not-running 2',
      'policy.daylight-saving 2',
      'agent.ready 1',
    ]);
    const minSize = response.jsonBody.items[0];
    expect(minSize).toMatchObject({
      title: expect.any(String),
      severity: 'error',
      docs: 'docs/rules/compute.min-size.md',
      citation: { section: expect.any(String) },
    });
    expect(minSize.matrix).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/backup\/backup-support-matrix-iaas#[a-z0-9-]+$/);
    const other = (await call(getRules, 'rules', [['subscription', OTHER_SUB]])).response.jsonBody.items;
    expect(other.map((r: Json) => `${r.ruleId} ${r.open}`)).toEqual(['compute.min-size 1', 'policy.daylight-saving 1']);
  });

  it('lists what changed in the window, newest first, from the alert intents; narrowed to a subscription', async () => {
    await seedFleet(() => new Date(at(30)));
    const { response } = await call(getChanges, 'changes', [['days', '1']]);
    expect(response.status).toBe(200);
    const items = response.jsonBody.items as Json[];
    expect(items.map((c) => `${LABEL[c.vmId]} ${c.transitions.map((t: Json) => `${t.kind}:${t.ruleId}`).join(',')}`).sort()).toEqual([
      'app opened:compute.min-size,opened:policy.daylight-saving',
      'fixed opened:compute.min-size,opened:policy.daylight-saving',
      'fixed resolved:compute.min-size,resolved:policy.daylight-saving',
      'gone opened:consistency.vm-not-running',
      'gone resolved:consistency.vm-not-running',
      'other opened:compute.min-size,opened:policy.daylight-saving',
      'web opened:agent.ready,opened:consistency.vm-not-running',
      'web2 opened:consistency.vm-not-running',
    ]);
    expect(items.map((c) => c.at)).toEqual([...items.map((c) => c.at)].sort().reverse());
    expect(items.every((c) => c.transitions.every((t: Json) => !('evidence' in t)))).toBe(true);
    expect((await call(getChanges, 'changes', [['subscription', OTHER_SUB]])).response.jsonBody.items.map((c: Json) => LABEL[c.vmId])).toEqual(['other']);
    expect((await call(getChanges, 'changes', [['days', '0']])).response).toEqual({
      status: 400,
      jsonBody: { error: 'days: must be a whole number from 1 to 30' },
    });
  });

  it('cut short, keeps the newest days and says so', async () => {
    const store = install();
    const day = (d: number) => `2026-11-${String(20 + d).padStart(2, '0')}T12:00:00.000Z`;
    const applyOn = (vmId: string, doc: Json, d: number) =>
      store.applyEvaluation(evaluationAs(vmId, doc), { location: 'westeurope', observedAt: day(d), trigger, now: day(d) });
    await applyOn(APP, broken(), 1);
    await applyOn(WEB, blind(), 3);
    await applyOn(WEB2, stopped(), 5);
    await applyOn(OTHER, broken(), 5);
    const now = new Date(day(6));
    const all = await recentChanges(store, { now, days: 7 });
    expect({ names: all.items.map((c) => LABEL[c.vmId]), truncated: all.truncated }).toEqual({ names: ['web2', 'other', 'web', 'app'], truncated: false });
    const cut = await recentChanges(store, { now, days: 7, limit: 3 });
    expect(cut.truncated).toBe(true);
    expect(cut.items.map((c) => c.at)).toEqual([day(5), day(5), day(3)]);
    expect((await recentChanges(store, { now, days: 2 })).items.map((c) => LABEL[c.vmId]).sort()).toEqual(['other', 'web2']);
  });
});
