import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HttpRoute } from './httpRoutes.js';

/**
 * GET /api/exemptions, PUT and DELETE /api/exemptions/{id}: the exemptions kept in the findings store. The handlers
 * are imported on the first request, like the findings API's (cold start).
 */
const handlers = () => import('./exemptionsApiHandlers.js');

export async function listExemptions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).listExemptions(request, context);
}

export async function putExemption(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).putExemption(request, context);
}

export async function deleteExemption(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).deleteExemption(request, context);
}

export const exemptionsApiRoutes: HttpRoute[] = [
  { name: 'listExemptions', methods: ['GET'], route: 'exemptions', handler: listExemptions },
  { name: 'putExemption', methods: ['PUT'], route: 'exemptions/{id}', handler: putExemption },
  { name: 'deleteExemption', methods: ['DELETE'], route: 'exemptions/{id}', handler: deleteExemption },
];

for (const { name, methods, route, handler } of exemptionsApiRoutes) app.http(name, { methods, authLevel: 'function', route, handler });
