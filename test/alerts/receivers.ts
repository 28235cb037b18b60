import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { verifyWebhookSignature, type WebhookPayloadV1, type WebhookVerification } from '../../core/alerts/webhookPayload.js';
import { Webhook } from 'standardwebhooks';
import { teamsMessageProblems } from './adaptiveCardRules.js';

/**
 * Real HTTP receivers on 127.0.0.1 for the alert tests. Each answers from a script of faults first (a status with
 * headers, or `hang`: never answer, so the sender times out), then as a healthy receiver would. `stop()` closes the
 * port (connection refused) and `start()` opens the same port again.
 */
export type Fault = { status: number; headers?: Record<string, string> } | 'hang';

export interface Request {
  headers: IncomingHttpHeaders;
  body: string;
  /** Real arrival time (ms, monotonic): for pacing checks. */
  at: number;
  status: number | 'hung';
}

export class Receiver {
  readonly requests: Request[] = [];
  private server: Server | null = null;
  private port = 0;

  constructor(
    private readonly faults: Fault[],
    private readonly handle: (request: Request) => { status: number; body?: string },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook?sig=receiver-secret-${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  private answer(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const request: Request = { headers, body, at: performance.now(), status: 'hung' };
    this.requests.push(request);
    const fault = this.faults.shift();
    if (fault === 'hang') return;
    if (fault) {
      request.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end('fault');
      return;
    }
    const reply = this.handle(request);
    request.status = reply.status;
    res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? '');
  }

  /** Closes the port: the next requests are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * A Teams Workflows webhook stand-in: refuses (400) anything that is not a valid Adaptive Card message, accepts the
 * rest with 202 as Teams does. `cards` are the messages it accepted (what the channel shows).
 */
export class TeamsReceiver extends Receiver {
  readonly accepted: Record<string, unknown>[] = [];
  readonly problems: string[] = [];

  constructor(faults: Fault[] = []) {
    super(faults, (request) => {
      const problems = teamsMessageProblems(request.body);
      if (problems.length > 0) {
        this.problems.push(...problems);
        return { status: 400, body: problems.join('\n') };
      }
      this.accepted.push(JSON.parse(request.body) as Record<string, unknown>);
      return { status: 202 };
    });
  }

  /** The accepted Adaptive Cards. */
  get cards(): Record<string, unknown>[] {
    return this.accepted.map((m) => (m.attachments as { content: Record<string, unknown> }[])[0]!.content);
  }
}

/**
 * A webhook receiver as docs/alerts.md tells people to write one: verify the signature and the timestamp (against
 * its own clock — the tests' simulated one), then drop idempotency keys it has processed already.
 */
export class WebhookReceiver extends Receiver {
  readonly accepted: WebhookPayloadV1[] = [];
  readonly rejected: Extract<WebhookVerification, { ok: false }>['reason'][] = [];
  duplicates = 0;
  private readonly seen = new Set<string>();

  constructor(secret: string, clock: () => Date, faults: Fault[] = []) {
    super(faults, (request) => {
      const verified = verifyWebhookSignature(request.headers, request.body, secret, clock());
      if (!verified.ok) {
        this.rejected.push(verified.reason);
        return { status: 401 };
      }
      if (this.seen.has(verified.idempotencyKey)) {
        this.duplicates += 1;
        return { status: 200, body: 'duplicate' };
      }
      this.seen.add(verified.idempotencyKey);
      this.accepted.push(JSON.parse(request.body) as WebhookPayloadV1);
      return { status: 200 };
    });
  }
}

/** A port nothing listens on (opened, then closed): connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/refused`;
}

/**
 * A receiver written the way Standard Webhooks tells people to: the `standardwebhooks` library verifies the
 * webhook-id, webhook-timestamp (against the real clock, five minutes either way) and webhook-signature headers.
 * `secret` is given as its users would: `whsec_…` as is, any other string with `{ format: 'raw' }`.
 */
export class StandardWebhookReceiver extends Receiver {
  readonly accepted: WebhookPayloadV1[] = [];
  readonly refusals: string[] = [];

  constructor(secret: string, faults: Fault[] = []) {
    const verifier = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
    super(faults, (request) => {
      try {
        this.accepted.push(verifier.verify(request.body, request.headers as Record<string, string>) as WebhookPayloadV1);
        return { status: 204 };
      } catch (error) {
        this.refusals.push((error as Error).message);
        return { status: 401 };
      }
    });
  }
}
