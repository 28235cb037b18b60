import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { RestError } from '@azure/data-tables';
import { z } from 'zod';
import { poisonQueuesOf } from '../core/queue/poisonReport.js';
import { queueConnectionOf } from '../core/queue/sweepQueue.js';
import { getServices } from '../core/runtime/services.js';
import {
  describeQueryError,
  findingsQuery,
  fleetSummary,
  findingsPageParameters,
  getVmReport,
  InvalidContinuationTokenError,
  queryFindings,
  SkippedRows,
  type FindingQueries,
  type FindingsStore,
  rankedRules,
  rankedSubscriptions,
  recentChanges,
  listVms,
  vmListQuery,
  vmPageParameters,
} from '../core/store/index.js';
import { DEFAULT_DOCS_BASE_URL } from '../core/matrix/ruleDocsUrl.js';
import { safeErrorMessage } from '../core/platform/safeErrorText.js';
import { loadAlertSettings } from '../core/alerts/alertSettings.js';

/**
 * The handlers of functions/findingsApi.ts: GET /api/findings, /api/vms/{subscriptionId}/{resourceGroup}/{vmName},
 * /api/vms, /api/summary, /api/subscriptions, /api/rules, /api/changes, /api/alerts, read-only views of the store. A module of its own so that the Function App's start-up
 * does not load zod, the store and the queue client for them (functions/findingsApi.ts imports it on first request).
 */

const findingsParameters = findingsQuery.extend(findingsPageParameters.shape);

const summaryParameters = z.object({ subscription: findingsQuery.shape.subscription });

/** The route's parts, shaped as ARM shapes them; anything else cannot name a stored VM. */
const vmRoute = z.object({
  subscriptionId: findingsQuery.shape.subscription.unwrap(),
  resourceGroup: findingsQuery.shape.resourceGroup.unwrap(),
  vmName: z.string().min(1, 'must not be empty').max(64, 'is at most 64 characters'),
});

type Parameters = { ok: true; values: Record<string, string> } | { ok: false; error: string };

/**
 * The query string as one value per known name. `code` is the function key (authLevel 'function'): the host has
 * checked it already; it is skipped here, never echoed and never logged. An unknown or repeated name is refused,
 * so a misspelt filter cannot silently widen the result.
 */
export function readParameters(query: URLSearchParams, allowed: readonly string[]): Parameters {
  const values: Record<string, string> = {};
  for (const [name, value] of query) {
    if (name === 'code') continue;
    if (!allowed.includes(name))
      return {
        ok: false,
        error: `${name.slice(0, 64)}: unknown parameter (${allowed.length > 0 ? `expected ${allowed.join(', ')}` : 'this endpoint takes none'})`,
      };
    if (Object.hasOwn(values, name)) return { ok: false, error: `${name}: given more than once` };
    values[name] = value;
  }
  return { ok: true, values };
}

/**
 * The query string read against `schema` (its parameters only, each once): the values and the names given (for the
 * log; never the values, which may name VMs), or the 400 naming what was wrong.
 */
function parsedQuery<S extends z.ZodObject>(
  request: HttpRequest,
  context: InvocationContext,
  schema: S,
): { success: true; data: z.infer<S>; given: string[] } | { success: false; response: HttpResponseInit } {
  const input = readParameters(request.query, Object.keys(schema.shape));
  if (!input.ok) return { success: false, response: badRequest(context, input.error) };
  const parsed = schema.safeParse(input.values);
  if (!parsed.success)
    return {
      success: false,
      response: badRequest(
        context,
        describeQueryError(parsed.error, (name) => name),
      ),
    };
  return { success: true, data: parsed.data, given: Object.keys(input.values) };
}

/** Rows left out of an answer are logged by their keys only (see skippedRows.ts); the answer carries the count. */
function logSkipped(context: InvocationContext, skipped: SkippedRows): void {
  if (skipped.count > 0) context.warn('stored rows failed validation and were skipped', { skippedRows: skipped.count, keys: skipped.keys });
}

export function badRequest(context: InvocationContext, error: string): HttpResponseInit {
  context.warn('request refused', { error });
  return { status: 400, jsonBody: { error } };
}

/** Runs a read against the store; the caller's token mistakes are 400s, storage trouble is 503, anything else 500. */
export async function withStore(context: InvocationContext, read: (store: FindingsStore) => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await read(getServices().store);
  } catch (error) {
    if (error instanceof InvalidContinuationTokenError)
      return badRequest(context, 'continuationToken: is not a token this query returned (start again without it)');
    // Only these fields: a RestError also carries the request, whose headers hold the storage signature, and its
    // message can quote a SAS URL, so the message is redacted like every other error text that reaches a log.
    const cause =
      error instanceof Error
        ? { name: error.name, message: safeErrorMessage(error), ...(error instanceof RestError ? { code: error.code, statusCode: error.statusCode } : {}) }
        : { name: typeof error };
    if (error instanceof RestError) {
      context.error('findings store failed', cause);
      return { status: 503, jsonBody: { error: 'the findings store is unavailable; try again later' } };
    }
    context.error('findings request failed', cause);
    return { status: 500, jsonBody: { error: 'internal error' } };
  }
}

export async function getFindings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parsedQuery(request, context, findingsParameters);
  if (!parsed.success) return parsed.response;
  const { pageSize, continuationToken, ...query } = parsed.data;
  return withStore(context, async (store: FindingQueries) => {
    const skipped = new SkippedRows();
    const page = await queryFindings(store, query, { pageSize, continuationToken }, skipped);
    logSkipped(context, skipped);
    context.log('findings listed', {
      filters: parsed.given,
      pageSize,
      continued: continuationToken !== undefined,
      items: page.items.length,
      more: page.continuationToken !== null,
    });
    return { status: 200, jsonBody: page };
  });
}

export async function getVm(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const input = readParameters(request.query, []);
  if (!input.ok) return badRequest(context, input.error);
  const parsed = vmRoute.safeParse(request.params);
  if (!parsed.success)
    return badRequest(
      context,
      describeQueryError(parsed.error, (name) => name),
    );
  const { subscriptionId, resourceGroup, vmName } = parsed.data;
  const vmId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vmName}`;
  return withStore(context, async (store: FindingQueries) => {
    const skipped = new SkippedRows();
    const report = await getVmReport(store, vmId, skipped);
    logSkipped(context, skipped);
    context.log('vm report', { vmId, found: report !== null });
    if (report === null) return { status: 404, jsonBody: { error: `no findings stored for VM ${vmId}` } };
    return { status: 200, jsonBody: report };
  });
}

export async function getSummary(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parsedQuery(request, context, summaryParameters);
  if (!parsed.success) return parsed.response;
  return withStore(context, async (store: FindingQueries) => {
    const summary = await fleetSummary(store, parsed.data);
    context.log('fleet summary', { subscription: summary.subscription, vms: summary.vms.total });
    return { status: 200, jsonBody: summary };
  });
}

const alertsParameters = z.object({ state: z.enum(['pending', 'delivered', 'failed', 'invalid', 'all']).default('failed') });

/**
 * GET /api/alerts?state=failed|pending|delivered|invalid|all (default failed): alert intents, so failed deliveries
 * are visible; `invalid`, the intents delivery could not read and set aside (keys only); and `poison`, the poison queue of the sweep's work queue (count, first few ids, times and VMs).
 */
export async function getAlerts(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parsedQuery(request, context, alertsParameters);
  if (!parsed.success) return parsed.response;
  return withStore(context, async (store: FindingQueries) => {
    const { settings, credential } = getServices();
    const { state } = parsed.data;
    const skipped = new SkippedRows();
    const [rows, invalid, poison] = await Promise.all([
      state === 'invalid' ? [] : store.alerts(state, skipped),
      state === 'invalid' || state === 'all' || state === 'failed' ? store.invalidAlerts() : [],
      poisonQueuesOf(queueConnectionOf(settings.storage, credential), settings.findingsTable),
    ]);
    logSkipped(context, skipped);
    const items = rows.map(({ partitionKey: _p, rowKey: _r, etag: _e, transitions, trigger, deliveries, ...row }) => ({
      ...row,
      transitions: JSON.parse(transitions) as unknown,
      trigger: JSON.parse(trigger) as unknown,
      deliveries: JSON.parse(deliveries) as unknown,
    }));
    context.log('alerts listed', { state: parsed.data.state, count: items.length, poison: poison.map((p) => ({ queue: p.queue, count: p.count })) });
    return { status: 200, jsonBody: { items, invalid, skippedRows: skipped.count, poison } };
  });
}

/** The same filters as /api/findings, but one state at a time (see vmListing.ts), paged by VM. */
const vmListParameters = vmListQuery.extend(vmPageParameters.shape);

/** GET /api/vms: VMs with findings matching the filters (default: open), with their open counts and restore readiness. */
export async function listVmsWithFindings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parsedQuery(request, context, vmListParameters);
  if (!parsed.success) return parsed.response;
  const { pageSize, continuationToken, ...query } = parsed.data;
  return withStore(context, async (store) => {
    const skipped = new SkippedRows();
    const page = await listVms(store, query, { pageSize, continuationToken }, skipped);
    logSkipped(context, skipped);
    context.log('vms listed', { filters: parsed.given, pageSize, items: page.items.length, more: page.continuationToken !== null });
    return { status: 200, jsonBody: page };
  });
}

/** GET /api/subscriptions: every subscription the store has seen, most open errors first, with its counts. */
export async function getSubscriptions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const input = readParameters(request.query, []);
  if (!input.ok) return badRequest(context, input.error);
  return withStore(context, async (store) => {
    const items = await rankedSubscriptions(store);
    context.log('subscriptions ranked', { count: items.length });
    return { status: 200, jsonBody: { items } };
  });
}

/** Where rule pages are published (ALERT_DOCS_BASE_URL, as the alerts link them); the repository path without it. */
function docsBaseUrl(context: InvocationContext): string {
  try {
    return loadAlertSettings(process.env).docsBaseUrl;
  } catch (error) {
    context.warn('alert settings are invalid; rule links are repository paths', { error: safeErrorMessage(error) });
    return DEFAULT_DOCS_BASE_URL;
  }
}

/** GET /api/rules[?subscription=]: rules with open findings, most first, each with its title, page and matrix row. */
export async function getRules(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parsedQuery(request, context, summaryParameters);
  if (!parsed.success) return parsed.response;
  return withStore(context, async (store) => {
    const { edition } = getServices();
    const items = await rankedRules(store, edition, docsBaseUrl(context), parsed.data);
    context.log('rules ranked', { subscription: parsed.data.subscription ?? null, count: items.length });
    return { status: 200, jsonBody: { edition: edition.id, items } };
  });
}

const changesParameters = z.object({
  subscription: findingsQuery.shape.subscription,
  days: z
    .string()
    .refine((s) => /^\d{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 30, 'must be a whole number from 1 to 30')
    .transform(Number)
    .default(7),
});

/** GET /api/changes[?days=7&subscription=]: what opened, reopened, changed severity or resolved, newest first. */
export async function getChanges(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parsedQuery(request, context, changesParameters);
  if (!parsed.success) return parsed.response;
  return withStore(context, async (store) => {
    const skipped = new SkippedRows();
    const changes = await recentChanges(
      store,
      { now: getServices().now(), days: parsed.data.days, ...(parsed.data.subscription ? { subscription: parsed.data.subscription } : {}) },
      skipped,
    );
    logSkipped(context, skipped);
    context.log('changes listed', { days: parsed.data.days, count: changes.items.length, truncated: changes.truncated });
    return { status: 200, jsonBody: changes };
  });
}
