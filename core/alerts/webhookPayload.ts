import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ExemptionRef } from '../matrix/types.js';
import type { AlertIntent } from './alertIntent.js';
import { standardWebhookSignatures, webhookKey } from './webhookKeys.js';

/**
 * The generic webhook: a versioned JSON body and three headers. The signature covers the timestamp and the exact
 * body bytes, so a receiver can prove the request came from a holder of the shared secret and refuse replays (an
 * old timestamp). Redeliveries carry the same idempotency key and a fresh timestamp and signature. docs/alerts.md
 * documents this format; changing a field's meaning needs a new schema version.
 */

export const WEBHOOK_SCHEMA = 'vm-backup-guard.alert/v1';
export const IDEMPOTENCY_HEADER = 'x-vmbg-idempotency-key';
export const TIMESTAMP_HEADER = 'x-vmbg-timestamp';
export const SIGNATURE_HEADER = 'x-vmbg-signature';
/** Standard Webhooks (standardwebhooks.com): what receivers verify with the spec's libraries. */
export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface WebhookPayloadV1 {
  schema: typeof WEBHOOK_SCHEMA;
  /** Stable for this VM's evaluation: the same on every retry and redelivery. Drop what you have seen. */
  idempotencyKey: string;
  vm: { id: string; name: string; subscriptionId: string; resourceGroup: string; portalUrl: string; findingsUrl: string | null };
  edition: string;
  transitions: {
    kind: 'opened' | 'reopened' | 'severity-changed' | 'resolved';
    ruleId: string;
    ruleTitle: string;
    severity: 'error' | 'warning' | 'info';
    outcome: 'fail' | 'unknown';
    previousSeverity?: 'error' | 'warning' | 'info';
    reason?: string;
    /** The finding's own sentence; absent only on intents stored before alerts carried it. */
    message?: string;
    evidence?: Record<string, unknown>;
    /** On a reopening out of an exemption: the exemption that ended, and how. */
    exemption?: ExemptionRef;
    exemptionEnded?: 'expired' | 'removed';
    matrix: { section: string; row: string } | null;
    docsUrl: string;
  }[];
  /** When the evaluation that caused this was stored (ISO 8601, UTC). */
  createdAt: string;
  /** Only on `vm-backup-guard alerts test`: a sample, not a real VM. */
  test?: true;
}

export function webhookPayloadFor(intent: AlertIntent, options: { test?: boolean } = {}): WebhookPayloadV1 {
  return {
    schema: WEBHOOK_SCHEMA,
    idempotencyKey: intent.idempotencyKey,
    vm: { ...intent.vm },
    edition: intent.edition,
    transitions: intent.transitions.map((t) => ({
      kind: t.kind,
      ruleId: t.ruleId,
      ruleTitle: t.ruleTitle,
      severity: t.severity,
      outcome: t.outcome,
      ...(t.previousSeverity ? { previousSeverity: t.previousSeverity } : {}),
      ...(t.reason ? { reason: t.reason } : {}),
      ...(t.message !== undefined ? { message: t.message } : {}),
      ...(t.evidence !== undefined ? { evidence: t.evidence } : {}),
      ...(t.exemption ? { exemption: t.exemption } : {}),
      ...(t.exemptionEnded ? { exemptionEnded: t.exemptionEnded } : {}),
      matrix: t.citation ? { section: t.citation.section, row: t.citation.row } : null,
      docsUrl: t.docsUrl,
    })),
    createdAt: intent.createdAt,
    ...(options.test ? { test: true as const } : {}),
  };
}

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` keyed with the secret (the original x-vmbg scheme). */
export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', webhookKey(secret)).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * The body and headers of one signed request (the body is sent exactly as signed). Both schemes ride on every
 * request: Standard Webhooks (one signature per secret, so a rotation needs no coordination) and the original
 * x-vmbg headers, signed with the newest secret only (that header holds one signature). The Standard Webhooks id is
 * the idempotency key: the spec wants it the same on every retry, which is what receivers de-duplicate on.
 */
export function signedWebhookRequest(
  payload: WebhookPayloadV1,
  secrets: string | readonly string[],
  now: Date,
): { body: string; headers: Record<string, string> } {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      [STANDARD_ID_HEADER]: payload.idempotencyKey,
      [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
      [STANDARD_SIGNATURE_HEADER]: standardWebhookSignatures(keys, payload.idempotencyKey, timestamp, body),
      [IDEMPOTENCY_HEADER]: payload.idempotencyKey,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: webhookSignature(keys[0]!, timestamp, body),
    },
  };
}

export type WebhookVerification =
  | { ok: true; idempotencyKey: string; timestamp: number }
  | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' | 'key-mismatch' };

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers of the x-vmbg headers (new receivers: verify the Standard Webhooks headers with its libraries). `body` must be the raw request body, byte for
 * byte as received — not re-serialized JSON. Refuses a timestamp more than `toleranceSeconds` from `now` either
 * way (a replay of a captured request); also drop idempotency keys you have already processed (a redelivery).
 */
export function verifyWebhookSignature(
  headers: HeaderBag,
  body: string | Buffer,
  secret: string,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): WebhookVerification {
  const idempotencyKey = header(headers, IDEMPOTENCY_HEADER);
  const timestampText = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!idempotencyKey || !timestampText || !signature) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'bad-timestamp' };
  const timestamp = Number(timestampText);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(`sha256=${createHmac('sha256', webhookKey(secret)).update(`${timestamp}.`, 'utf8').update(body).digest('hex')}`, 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Constant-time: a byte-by-byte compare would tell an attacker how much of a forged signature is right.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  // The header is not signed; the body's copy is. They must agree, or a replayed body could pass as a new key.
  let signedKey: unknown;
  try {
    signedKey = (JSON.parse(body.toString()) as { idempotencyKey?: unknown }).idempotencyKey;
  } catch {
    signedKey = undefined;
  }
  if (signedKey !== idempotencyKey) return { ok: false, reason: 'key-mismatch' };
  return { ok: true, idempotencyKey, timestamp };
}
