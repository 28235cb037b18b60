import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { alertIntentOf } from '../../core/alerts/alertIntent.js';
import { sampleIntent } from '../../core/alerts/sampleIntent.js';
import { webhookPayloadFor } from '../../core/alerts/webhookPayload.js';
import { jsonSchemaText, PUBLISHED_SCHEMAS } from '../../core/contracts/publishedSchemas.js';
import { fleetSummary, getVmReport, listVms, queryFindings, rankedRules, rankedSubscriptions, recentChanges } from '../../core/store/index.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { at, brokenVm, evaluationOf, newStore, storeEvaluation } from '../alerts/alertFixtures.js';
import { useAzurite } from '../helpers/azurite.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

type SchemaFile = keyof typeof PUBLISHED_SCHEMAS;
const azurite = useAzurite();
const schemaPath = (file: string) => new URL(`../../docs/schemas/${file}`, import.meta.url);

/** A validator from the published file (not from zod): what a consumer of docs/schemas/ would run. */
function validatorFor(file: SchemaFile) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readFileSync(schemaPath(file), 'utf8')) as object);
}

function problems(file: SchemaFile, document: unknown): string[] {
  const validate = validatorFor(file);
  return validate(document) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}

describe('published JSON Schemas (docs/schemas/)', () => {
  it('are what the zod definitions generate (UPDATE_SCHEMAS=1 rewrites them)', () => {
    for (const [file, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
      const text = jsonSchemaText(schema);
      if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(schemaPath(file), text);
      expect(readFileSync(schemaPath(file), 'utf8'), `${file} is stale: run UPDATE_SCHEMAS=1 npx vitest run test/contracts`).toBe(text);
    }
  });

  it('the check report: a real run validates; a finding without its findingId does not (the control)', async () => {
    const doc = brokenVm();
    const run = await cli(['check', tempFiles({ 'a.json': doc, 'b.json': cleanInventory() }), '--format', 'json', '--min-severity', 'warning']);
    const report = JSON.parse(run.stdout);
    expect(report.vms[0].findings.length).toBeGreaterThan(0);
    expect(problems('check-report.schema.json', report)).toEqual([]);
    delete report.vms[0].findings[0].findingId;
    expect(problems('check-report.schema.json', report)).toEqual(["/vms/0/findings/0 must have required property 'findingId'"]);
  });

  it('the webhook payload: the sample and a stored intent validate; an unknown field does not', async () => {
    const sample = webhookPayloadFor(sampleIntent(new Date(), { findingsApiUrl: 'https://vmbg.example.net/api/' }), { test: true });
    expect(problems('alert-webhook-v1.schema.json', sample)).toEqual([]);
    const store = newStore(azurite.connectionString());
    await storeEvaluation(store, evaluationOf(brokenVm()), 0);
    const [row] = await store.alerts('pending');
    expect(problems('alert-webhook-v1.schema.json', webhookPayloadFor(alertIntentOf(row!)))).toEqual([]);
    expect(problems('alert-webhook-v1.schema.json', { ...sample, extra: 1 })).toEqual([' must NOT have additional properties']);
  });

  it('the findings API responses validate, as the store answers them', async () => {
    const store = newStore(azurite.connectionString());
    const evaluation = evaluationOf(brokenVm());
    await storeEvaluation(store, evaluation, 0);
    await storeEvaluation(store, evaluationOf(cleanInventory()), 60);
    const page = await queryFindings(store, { state: 'all' });
    expect(page.items.length).toBeGreaterThan(0);
    expect(problems('findings-page.schema.json', page)).toEqual([]);
    expect(problems('vm-report.schema.json', await getVmReport(store, evaluation.vmId))).toEqual([]);
    expect(problems('fleet-summary.schema.json', await fleetSummary(store))).toEqual([]);
    expect(problems('fleet-summary.schema.json', { subscription: null })).not.toEqual([]);
    const vms = await listVms(store, { state: 'resolved' });
    expect(vms.items.length).toBeGreaterThan(0);
    expect(problems('vm-list.schema.json', vms)).toEqual([]);
    expect(problems('subscriptions.schema.json', { items: await rankedSubscriptions(store) })).toEqual([]);
    await storeEvaluation(store, evaluation, 120);
    const rules = await rankedRules(store, getEdition('2026-03'), 'docs/rules/');
    expect(rules.length).toBeGreaterThan(0);
    expect(problems('rules.schema.json', { edition: '2026-03', items: rules })).toEqual([]);
    const changes = await recentChanges(store, { now: at(600), days: 1 });
    expect(changes.items.length).toBeGreaterThan(0);
    expect(problems('changes.schema.json', changes)).toEqual([]);
    expect(problems('changes.schema.json', { ...changes, items: [{ ...changes.items[0], extra: 1 }] })).not.toEqual([]);
  });
});
