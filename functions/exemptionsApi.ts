import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

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

app.http('listExemptions', { methods: ['GET'], authLevel: 'function', route: 'exemptions', handler: listExemptions });
app.http('putExemption', { methods: ['PUT'], authLevel: 'function', route: 'exemptions/{id}', handler: putExemption });
app.http('deleteExemption', { methods: ['DELETE'], authLevel: 'function', route: 'exemptions/{id}', handler: deleteExemption });
