import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HttpRoute } from './httpRoutes.js';

/**
 * GET /api/findings, /api/vms/{subscriptionId}/{resourceGroup}/{vmName}, /api/vms, /api/summary, /api/subscriptions,
 * /api/rules, /api/changes, /api/alerts: read-only views of the store. The handlers live in findingsApiHandlers.ts,
 * imported on the first request: the host loads every function's file at start-up, and the API needs neither ARM nor
 * Resource Graph (cold start: bench/coldStart.ts).
 */
const handlers = () => import('./findingsApiHandlers.js');

export async function getFindings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getFindings(request, context);
}

export async function getVm(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getVm(request, context);
}

export async function listVms(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).listVmsWithFindings(request, context);
}

export async function getSummary(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getSummary(request, context);
}

export async function getSubscriptions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getSubscriptions(request, context);
}

export async function getRules(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getRules(request, context);
}

export async function getChanges(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getChanges(request, context);
}

export async function getAlerts(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getAlerts(request, context);
}

export const findingsApiRoutes: HttpRoute[] = [
  { name: 'getFindings', methods: ['GET'], route: 'findings', handler: getFindings },
  { name: 'getVm', methods: ['GET'], route: 'vms/{subscriptionId}/{resourceGroup}/{vmName}', handler: getVm },
  { name: 'listVms', methods: ['GET'], route: 'vms', handler: listVms },
  { name: 'getSummary', methods: ['GET'], route: 'summary', handler: getSummary },
  { name: 'getSubscriptions', methods: ['GET'], route: 'subscriptions', handler: getSubscriptions },
  { name: 'getRules', methods: ['GET'], route: 'rules', handler: getRules },
  { name: 'getChanges', methods: ['GET'], route: 'changes', handler: getChanges },
  { name: 'getAlerts', methods: ['GET'], route: 'alerts', handler: getAlerts },
];

for (const { name, methods, route, handler } of findingsApiRoutes) app.http(name, { methods, authLevel: 'function', route, handler });
