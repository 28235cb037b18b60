import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertIntentOf } from '../../core/alerts/alertIntent.js';
import { signedWebhookRequest, verifyWebhookSignature, webhookPayloadFor } from '../../core/alerts/webhookPayload.js';
import type { OutboxRow } from '../../core/store/index.js';
import { VM_ID } from '../helpers/cleanVm.js';
import { at, WEBHOOK_SECRET } from './alertFixtures.js';

const row: OutboxRow = {
  partitionKey: 'p',
  rowKey: 'outbox|x',
  idempotencyKey: '0123456789abcdef0123456789abcdef',
  vmId: VM_ID,
  vmName: 'vm-app-01',
  subscriptionId: '11111111-2222-3333-4444-555555555555',
  resourceGroup: 'rg-app',
  edition: '2026-03',
  transitions: JSON.stringify([
    { kind: 'opened', ruleId: 'compute.min-size', severity: 'error', outcome: 'fail' },
    { kind: 'severity-changed', ruleId: 'storage.disk-size', severity: 'error', outcome: 'fail', previousSeverity: 'warning' },
    { kind: 'resolved', ruleId: 'policy.daylight-saving', severity: 'info', outcome: 'fail', reason: 'passed' },
  ]),
  trigger: '{"kind":"event"}',
  createdAt: '2026-11-26T10:00:00.000Z',
  state: 'pending',
  nextAttemptAt: '2026-11-26T10:00:00.000Z',
  deliveries: '{}',
};

describe('the webhook payload v1', () => {
  it('has the documented shape: schema, idempotencyKey, vm, edition, transitions with rule title, matrix row and docs, createdAt', () => {
    const payload = webhookPayloadFor(alertIntentOf(row, { docsBaseUrl: 'https://docs.example.com/rules/' }));
    expect(Object.keys(payload)).toEqual(['schema', 'idempotencyKey', 'vm', 'edition', 'transitions', 'createdAt']);
    expect(payload).toMatchObject({
      schema: 'vm-backup-guard.alert/v1',
      idempotencyKey: '0123456789abcdef0123456789abcdef',
      vm: {
        id: VM_ID,
        name: 'vm-app-01',
        subscriptionId: '11111111-2222-3333-4444-555555555555',
        resourceGroup: 'rg-app',
        portalUrl: `https://portal.azure.com/#@/resource${VM_ID}`,
      },
      edition: '2026-03',
      createdAt: '2026-11-26T10:00:00.000Z',
    });
    expect(payload.transitions[0]).toEqual({
      kind: 'opened',
      ruleId: 'compute.min-size',
      ruleTitle: expect.any(String),
      severity: 'error',
      outcome: 'fail',
      matrix: { section: expect.any(String), row: expect.any(String) },
      docsUrl: 'https://docs.example.com/rules/compute.min-size.md',
    });
    expect(payload.transitions[1]).toMatchObject({ kind: 'severity-changed', previousSeverity: 'warning' });
    expect(payload.transitions[2]).toMatchObject({ kind: 'resolved', reason: 'passed' });
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and sends the key, the timestamp and the signature as headers', () => {
    const payload = webhookPayloadFor(alertIntentOf(row));
    const { body, headers } = signedWebhookRequest(payload, WEBHOOK_SECRET, at(0));
    const timestamp = String(at(0).getTime() / 1000);
    expect(body).toBe(JSON.stringify(payload));
    expect(headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'webhook-id': '0123456789abcdef0123456789abcdef',
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${createHmac('sha256', WEBHOOK_SECRET).update(`0123456789abcdef0123456789abcdef.${timestamp}.${body}`).digest('base64')}`,
      'x-vmbg-idempotency-key': '0123456789abcdef0123456789abcdef',
      'x-vmbg-timestamp': timestamp,
      'x-vmbg-signature': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex')}`,
    });
  });

  it('verifyWebhookSignature accepts the request, and refuses tampering, a wrong secret, replays and a forged key', () => {
    const { body, headers } = signedWebhookRequest(webhookPayloadFor(alertIntentOf(row)), WEBHOOK_SECRET, at(0));
    expect(verifyWebhookSignature(headers, body, WEBHOOK_SECRET, at(10))).toEqual({
      ok: true,
      idempotencyKey: row.idempotencyKey,
      timestamp: at(0).getTime() / 1000,
    });
    expect(verifyWebhookSignature(new Headers(headers), Buffer.from(body), WEBHOOK_SECRET, at(-299)).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhookSignature(upper, body, WEBHOOK_SECRET, at(0)).ok).toBe(true);

    expect(verifyWebhookSignature(headers, body.replace('vm-app-01', 'vm-app-02'), WEBHOOK_SECRET, at(0))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhookSignature(headers, body, 'another-secret-0123456789', at(0))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhookSignature(headers, body, WEBHOOK_SECRET, at(301))).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verifyWebhookSignature(headers, body, WEBHOOK_SECRET, at(-301))).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verifyWebhookSignature(headers, body, WEBHOOK_SECRET, at(900), 1000).ok).toBe(true);
    // A replayed body presented as a new delivery: the header key is not signed, the body's is.
    expect(verifyWebhookSignature({ ...headers, 'x-vmbg-idempotency-key': 'fresh-key' }, body, WEBHOOK_SECRET, at(0))).toEqual({
      ok: false,
      reason: 'key-mismatch',
    });
    // The timestamp is signed too: moving it forward breaks the signature.
    expect(verifyWebhookSignature({ ...headers, 'x-vmbg-timestamp': String(at(600).getTime() / 1000) }, body, WEBHOOK_SECRET, at(600))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyWebhookSignature({ ...headers, 'x-vmbg-timestamp': '1e9' }, body, WEBHOOK_SECRET, at(0))).toEqual({ ok: false, reason: 'bad-timestamp' });
    const { 'x-vmbg-signature': _signature, ...unsigned } = headers;
    expect(verifyWebhookSignature(unsigned, body, WEBHOOK_SECRET, at(0))).toEqual({ ok: false, reason: 'missing-headers' });
    expect(verifyWebhookSignature({ ...headers, 'x-vmbg-signature': 'sha256=00' }, body, WEBHOOK_SECRET, at(0))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});
