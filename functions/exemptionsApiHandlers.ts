import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { exemptionErrors, exemptionSchema } from '../core/exemptions/exemption.js';
import { getServices } from '../core/runtime/services.js';
import type { ExemptionRecords } from '../core/store/index.js';
import { badRequest, readParameters, withStore } from './findingsApiHandlers.js';

const listParameters = z.object({ audit: z.enum(['true', 'false']).default('false') });
const LIST_PARAMETERS = Object.keys(listParameters.shape);
const DELETE_PARAMETERS = ['by'];

/**
 * Who made a change, for the audit trail: the caller App Service authentication names, else what the caller says
 * (`createdBy` in the body, `?by=` on DELETE), else the function key, which names no one.
 */
function actorOf(request: HttpRequest, stated: unknown): string {
  const principal = request.headers.get('x-ms-client-principal-name');
  if (principal) return principal;
  return typeof stated === 'string' && stated.trim() ? `${stated.trim().slice(0, 200)} (stated)` : 'function key';
}

const now = () => getServices().now().toISOString();

export async function listExemptions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const input = readParameters(request.query, LIST_PARAMETERS);
  if (!input.ok) return badRequest(context, input.error);
  const parsed = listParameters.safeParse(input.values);
  if (!parsed.success) return badRequest(context, exemptionErrors(parsed.error).join('; '));
  return withStore(context, async (exemptions: ExemptionRecords) => {
    const list = await exemptions.listExemptions();
    context.log('exemptions listed', { count: list.length });
    return { status: 200, jsonBody: { exemptions: list, ...(parsed.data.audit === 'true' ? { audit: await exemptions.exemptionAudit() } : {}) } };
  });
}

/** PUT /api/exemptions/{id}: the body is the exemption (its id, if given, must be the route's). 201 new, 200 replaced. */
export async function putExemption(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const input = readParameters(request.query, []);
  if (!input.ok) return badRequest(context, input.error);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return badRequest(context, 'body: must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest(context, 'body: must be a JSON object');
  const id = request.params.id ?? '';
  const given = (body as { id?: unknown }).id;
  if (given !== undefined && given !== id) return badRequest(context, `id: the body says "${String(given).slice(0, 100)}", the route "${id}"`);
  const actor = actorOf(request, (body as { createdBy?: unknown }).createdBy);
  return withStore(context, async (store: ExemptionRecords) => {
    const valid = exemptionSchema.safeParse({ ...body, id });
    if (!valid.success) return badRequest(context, exemptionErrors(valid.error).join('; '));
    const { exemption, created } = await store.putExemption(valid.data, actor, now());
    context.log('exemption saved', { id, created });
    return { status: created ? 201 : 200, jsonBody: exemption };
  });
}

export async function deleteExemption(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const input = readParameters(request.query, DELETE_PARAMETERS);
  if (!input.ok) return badRequest(context, input.error);
  const id = request.params.id ?? '';
  return withStore(context, async (store: ExemptionRecords) => {
    const removed = await store.removeExemption(id, actorOf(request, input.values.by), now());
    context.log('exemption removal', { id, removed });
    return removed ? { status: 204 } : { status: 404, jsonBody: { error: `no exemption ${id.slice(0, 100)}` } };
  });
}
