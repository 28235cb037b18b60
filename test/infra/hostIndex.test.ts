import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp, contentsOf, indexFunctionApp, lazyChunksOf, ROOT, staticClosure, type BuiltApp, type Indexed } from './functionApp.js';
import { eventQueueName } from '../../core/queue/queueNames.js';
import { FINDINGS_TABLE } from '../../core/store/tableName.js';
import { loadTemplate, obj, resourcesOfType } from './armTemplate.js';

/**
 * The Function App as the Functions host indexes it: the bundle `npm run build` makes (package.json "main"), loaded
 * under a recording @azure/functions-core the way the Node worker provides it (functionsHost.mjs). What it registers
 * is what Azure will run; the template and the docs must name exactly that.
 */

/** Every function, its trigger and what the host reads of it. */
const EXPECTED: Record<string, Record<string, unknown>> = {
  vmChanged: { type: 'eventGridTrigger' },
  evaluateCoalesced: { type: 'queueTrigger', queueName: eventQueueName(FINDINGS_TABLE), connection: 'FINDINGS_STORAGE' },
  getFindings: { type: 'httpTrigger', route: 'findings', methods: ['GET'], authLevel: 'function' },
  getVm: { type: 'httpTrigger', route: 'vms/{subscriptionId}/{resourceGroup}/{vmName}', methods: ['GET'], authLevel: 'function' },
  listVms: { type: 'httpTrigger', route: 'vms', methods: ['GET'], authLevel: 'function' },
  getSummary: { type: 'httpTrigger', route: 'summary', methods: ['GET'], authLevel: 'function' },
  getSubscriptions: { type: 'httpTrigger', route: 'subscriptions', methods: ['GET'], authLevel: 'function' },
  getRules: { type: 'httpTrigger', route: 'rules', methods: ['GET'], authLevel: 'function' },
  getChanges: { type: 'httpTrigger', route: 'changes', methods: ['GET'], authLevel: 'function' },
  dashboard: { type: 'httpTrigger', route: 'dashboard', methods: ['GET'], authLevel: 'function' },
  getAlerts: { type: 'httpTrigger', route: 'alerts', methods: ['GET'], authLevel: 'function' },
  listExemptions: { type: 'httpTrigger', route: 'exemptions', methods: ['GET'], authLevel: 'function' },
  putExemption: { type: 'httpTrigger', route: 'exemptions/{id}', methods: ['PUT'], authLevel: 'function' },
  deleteExemption: { type: 'httpTrigger', route: 'exemptions/{id}', methods: ['DELETE'], authLevel: 'function' },
  sweepProtected: { type: 'timerTrigger', schedule: '0 */30 * * * *' },
  deliverAlerts: { type: 'timerTrigger', schedule: '0 */1 * * * *' },
  purgeExpired: { type: 'timerTrigger', schedule: '0 30 3 * * *' },
  sweepWorker: { type: 'queueTrigger', queueName: 'vmbackupguardfindings-sweep', connection: 'FINDINGS_STORAGE' },
};

const out = mkdtempSync(join(tmpdir(), 'vmbg-host-index-'));
let built: BuiltApp;
let indexed: Indexed;
beforeAll(async () => {
  built = await buildFunctionApp(out);
  indexed = indexFunctionApp(built.main);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const triggerOf = (f: Indexed['functions'][number]) => Object.values(f.bindings).find((b) => String(b.type).endsWith('Trigger')) ?? {};

describe('the Function App as the Functions host indexes it', () => {
  it('is the bundle package.json names, built for the Node the template deploys', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).main).toBe('dist/functions/index.js');
    expect(indexed.programmingModel?.name).toBe('@azure/functions');
  });

  it('registers every function, each once, with its trigger type, route, schedule and queue', () => {
    const names = indexed.functions.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const f of indexed.functions) expect(triggerOf(f), f.name).toMatchObject(EXPECTED[f.name] as Record<string, unknown>);
  });

  it('registers what the settings say: schedules and the queue follow the app settings', () => {
    const custom = indexFunctionApp(built.main, {
      SWEEP_SCHEDULE: '0 */5 * * * *',
      RETENTION_SCHEDULE: '0 0 1 * * *',
      ALERT_SCHEDULE: '0 */2 * * * *',
      FINDINGS_TABLE: 'OtherTable',
    });
    const by = Object.fromEntries(custom.functions.map((f) => [f.name, triggerOf(f)]));
    expect(by.sweepProtected?.schedule).toBe('0 */5 * * * *');
    expect(by.purgeExpired?.schedule).toBe('0 0 1 * * *');
    expect(by.deliverAlerts?.schedule).toBe('0 */2 * * * *');
    expect(by.sweepWorker?.queueName).toBe('othertable-sweep');
  });

  it('has the function the Event Grid subscription delivers to, as an Event Grid trigger', () => {
    const template = loadTemplate();
    const site = resourcesOfType(template, 'Microsoft.Web/sites')[0];
    const output = String(obj(obj(site?.scope.template.outputs, 'outputs').vmChangedFunctionId, 'output').value);
    const target = /\/functions\/([A-Za-z0-9]+)'/.exec(output)?.[1];
    expect(target).toBe('vmChanged');
    expect(triggerOf(indexed.functions.find((f) => f.name === target) as Indexed['functions'][number]).type).toBe('eventGridTrigger');
  });

  it('names in the docs only functions it registers, and every HTTP route it registers', () => {
    const docs = ['README.md', 'docs/deploy.md'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    for (const [name, trigger] of Object.entries(EXPECTED))
      if (trigger.route) expect(docs, `route of ${name}`).toContain(`/api/${String(trigger.route).split('/{')[0]}`);
    for (const m of docs.matchAll(/\/functions\/([A-Za-z0-9]+)(?![.\w])/g)) expect(Object.keys(EXPECTED), `docs name function ${m[1]}`).toContain(m[1]);
  });

  it('fails when a registration goes missing (negative control)', () => {
    const names = indexed.functions
      .filter((f) => f.name !== 'sweepWorker')
      .map((f) => f.name)
      .sort();
    expect(names).not.toEqual(Object.keys(EXPECTED).sort());
    expect(() => indexFunctionApp(join(out, 'no-such-bundle.js'))).toThrow(/failed to load/);
  });

  it('loads at start-up no Azure SDK beyond @azure/functions; the alert timer loads no ARM SDK, the HTTP API neither ARM nor Resource Graph', () => {
    const startup = contentsOf(built.metafile, staticClosure(built.metafile, built.main));
    expect([...startup.packages].filter((p) => p.startsWith('@azure') && !p.startsWith('@azure/functions'))).toEqual([]);
    const firstCall = (file: string) =>
      contentsOf(
        built.metafile,
        lazyChunksOf(built, file).flatMap((c) => staticClosure(built.metafile, c)),
      );
    for (const file of ['functions/deliverAlerts.ts', 'functions/findingsApi.ts', 'functions/dashboard.ts', 'functions/purgeExpired.ts']) {
      const { packages, modules } = firstCall(file);
      expect(
        [...packages].filter((p) => /^@azure\/arm-|^@azure-rest\//.test(p)),
        file,
      ).toEqual([]);
      expect(
        [...modules].filter((m) => m.includes('resourceGraph')),
        file,
      ).toEqual([]);
    }
    // The dashboard page is in the bundle (nothing to serve from disk), loaded on the first request, not at start-up.
    expect([...startup.modules].filter((m) => m.includes('dashboard:'))).toEqual([]);
    expect([...firstCall('functions/dashboard.ts').modules].filter((m) => m.includes('dashboard:'))).toEqual(['dashboard:document']);
    // The check sees an SDK where one is loaded (negative control): the sweep uses Resource Graph.
    expect([...firstCall('functions/sweepProtected.ts').modules].some((m) => m.includes('resourceGraph'))).toBe(true);
  });
});
