/**
 * The Function App's HTTP functions on 127.0.0.1, for `npm start` and the dashboard tests: node:http in front of the
 * very handlers the Functions host calls (the route tables in functions/*.ts), with the host's function-key check
 * (`?code=` or `x-functions-key`) when a key is given. It also serves the rule pages (docs/rules/*.md), which the
 * dashboard links to when ALERT_DOCS_BASE_URL is not set. Dev only: no TLS, loopback only.
 */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { HttpRoute } from '../functions/httpRoutes.js';

export interface LocalApiServer {
  /** `http://127.0.0.1:<port>/api/` */
  apiUrl: string;
  /** Requests served so far: did they carry the key, a cookie (an App Service authentication session)? For tests. */
  requests: { method: string; path: string; keyed: boolean; cookie: boolean; status: number }[];
  close(): Promise<void>;
}

export interface LocalApiOptions {
  routes: readonly HttpRoute[];
  /** Like authLevel 'function' in Azure: every /api/ request must carry it. None: no check (as `func start` does). */
  functionKey?: string;
  port?: number;
  /** Where docs/rules/ is (the project root). */
  root?: string;
  /** The handlers' log lines (context.log/warn/error); dropped by default. */
  log?: (level: string, args: unknown[]) => void;
}

interface CompiledRoute {
  route: HttpRoute;
  segments: string[];
}

/** `vms/{subscriptionId}/{resourceGroup}/{vmName}` matched against a path's segments, as the host matches it. */
function matchRoute(compiled: readonly CompiledRoute[], method: string, segments: string[]): { route: HttpRoute; params: Record<string, string> } | null {
  for (const { route, segments: pattern } of compiled) {
    if (!route.methods.includes(method as HttpRoute['methods'][number]) || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (!part.startsWith('{')) return part.toLowerCase() === segment.toLowerCase();
      params[part.slice(1, -1)] = segment;
      return segment !== '';
    });
    if (fits) return { route, params };
  }
  return null;
}

function keyMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function bodyOf(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
}

function send(response: ServerResponse, result: HttpResponseInit): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((result.headers ?? {}) as Record<string, string>)) headers[name.toLowerCase()] = value;
  let body = '';
  if (result.jsonBody !== undefined) {
    body = JSON.stringify(result.jsonBody);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (typeof result.body === 'string') body = result.body;
  response.writeHead(result.status ?? 200, headers).end(body);
}

export async function startLocalApiServer(options: LocalApiOptions): Promise<LocalApiServer> {
  const compiled = options.routes.map((route) => ({ route, segments: route.route.split('/') }));
  const requests: LocalApiServer['requests'] = [];
  const root = options.root ?? process.cwd();
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      options.log?.('error', ['local server failed', error instanceof Error ? error.message : String(error)]);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const method = request.method ?? 'GET';
    const record = (status: number, keyed: boolean) =>
      requests.push({ method, path: url.pathname, keyed, cookie: request.headers.cookie !== undefined, status });
    const doc = /^\/docs\/rules\/([a-z0-9][a-z0-9.-]*)\.md$/.exec(url.pathname);
    if (doc && method === 'GET') {
      try {
        const text = await readFile(join(root, 'docs', 'rules', `${doc[1]}.md`), 'utf8');
        response.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' }).end(text);
        record(200, false);
      } catch {
        send(response, { status: 404, jsonBody: { error: 'no such rule page' } });
        record(404, false);
      }
      return;
    }
    const given = url.searchParams.get('code') ?? (request.headers['x-functions-key'] as string | undefined) ?? null;
    const keyed = options.functionKey !== undefined && keyMatches(given, options.functionKey);
    const match = url.pathname.startsWith('/api/') ? matchRoute(compiled, method, url.pathname.slice('/api/'.length).split('/').map(decodeURIComponent)) : null;
    if (match === null) {
      send(response, { status: 404, jsonBody: { error: 'not found' } });
      record(404, keyed);
      return;
    }
    if (options.functionKey !== undefined && !keyed) {
      // The host's answer to a missing or wrong key: 401, empty body.
      response.writeHead(401).end();
      record(401, false);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
    const body = method === 'GET' ? undefined : await bodyOf(request);
    const httpRequest = new HttpRequest({ url: url.href, method, headers, params: match.params, ...(body !== undefined ? { body: { string: body } } : {}) });
    const context = new InvocationContext({ functionName: match.route.name, logHandler: (level, ...args) => options.log?.(level, args) });
    const result = await match.route.handler(httpRequest, context);
    send(response, result as HttpResponseInit);
    record((result as HttpResponseInit).status ?? 200, keyed);
  }

  const port = await listen(server, options.port ?? 0);
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser's keep-alive connection would otherwise hold Ctrl-C up until it times out.
        server.closeAllConnections();
      }),
  };
}

/** The port asked for, else (taken) any free one: a second `npm start` still starts. */
async function listen(server: Server, port: number): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return listen(server, 0);
  }
  return (server.address() as AddressInfo).port;
}

/** Every HTTP function the Function App registers (the same route tables the host reads). */
export async function functionAppRoutes(): Promise<HttpRoute[]> {
  // Outside the host, @azure/functions warns once per registration that it skips it ("test mode"): expected here,
  // where the route tables, not the registrations, are what is used.
  const warn = console.warn;
  console.warn = (...args: unknown[]) =>
    void (/^WARNING: (Skipping call to register function|Failed to detect the Azure Functions runtime)/.test(String(args[0])) || warn(...args));
  try {
    const [{ findingsApiRoutes }, { exemptionsApiRoutes }, { dashboardRoutes }] = await Promise.all([
      import('../functions/findingsApi.js'),
      import('../functions/exemptionsApi.js'),
      import('../functions/dashboard.js'),
    ]);
    return [...dashboardRoutes, ...findingsApiRoutes, ...exemptionsApiRoutes];
  } finally {
    console.warn = warn;
  }
}
