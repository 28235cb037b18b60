import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HttpRoute } from './httpRoutes.js';

/**
 * GET /api/dashboard: the fleet dashboard, a read-only page whose data all comes from the findings API, with the same
 * function key (or App Service authentication). The page is imported on the first request, so the host's start-up
 * does not load it (cold start).
 */
const handlers = () => import('./dashboardHandlers.js');

export async function getDashboard(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await handlers()).getDashboard(request, context);
}

export const dashboardRoutes: HttpRoute[] = [{ name: 'dashboard', methods: ['GET'], route: 'dashboard', handler: getDashboard }];

for (const { name, methods, route, handler } of dashboardRoutes) app.http(name, { methods, authLevel: 'function', route, handler });
