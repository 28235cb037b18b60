import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

/**
 * GET /api/findings, /api/vms/{subscriptionId}/{resourceGroup}/{vmName}, /api/summary, /api/alerts: read-only views
 * of the store. The handlers live in findingsApiHandlers.ts, imported on the first request: the host loads every
 * function's file at start-up, and the API needs neither ARM nor Resource Graph (cold start: bench/coldStart.ts).
 */
const handlers = () => import('./findingsApiHandlers.js');

export async function getFindings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getFindings(request, context);
}

export async function getVm(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getVm(request, context);
}

export async function getSummary(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getSummary(request, context);
}

export async function getAlerts(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getAlerts(request, context);
}

app.http('getFindings', { methods: ['GET'], authLevel: 'function', route: 'findings', handler: getFindings });
app.http('getVm', { methods: ['GET'], authLevel: 'function', route: 'vms/{subscriptionId}/{resourceGroup}/{vmName}', handler: getVm });
app.http('getSummary', { methods: ['GET'], authLevel: 'function', route: 'summary', handler: getSummary });
app.http('getAlerts', { methods: ['GET'], authLevel: 'function', route: 'alerts', handler: getAlerts });
