import { createHmac } from 'node:crypto';

/** Standard Webhooks' secret form: `whsec_` + base64 of the key bytes. */
export const WHSEC_PREFIX = 'whsec_';

/**
 * The HMAC key of a configured secret. A `whsec_` secret is base64 key bytes (what the standardwebhooks libraries
 * take as is); any other secret is its UTF-8 bytes, as before, so existing receivers keep their secret (with the
 * libraries they pass `{ format: 'raw' }`).
 */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith(WHSEC_PREFIX) ? Buffer.from(secret.slice(WHSEC_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret, space-separated (the spec's rotation form). */
export function standardWebhookSignatures(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((s) => `v1,${createHmac('sha256', webhookKey(s)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`).join(' ');
}
