import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import page from 'dashboard:document';

/**
 * The dashboard document: HTML with its script and style inline (scripts/dashboardDocument.mjs), so one request
 * authorised by the key or the session serves the whole page. The query string (filters, the key) is the page's
 * to read, in the browser; nothing of it is logged here.
 */
export async function getDashboard(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  context.log('dashboard served');
  return {
    status: 200,
    body: page.html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': page.csp,
      // The URL may carry the function key: never cached, never sent on as a referrer.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  };
}
