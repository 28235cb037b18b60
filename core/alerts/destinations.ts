import { z } from 'zod';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import type { Severity } from '../matrix/types.js';
import { WHSEC_PREFIX } from './webhookKeys.js';

/**
 * Where alerts go: the `ALERT_DESTINATIONS` setting, one JSON array. A Teams Workflows URL carries its own
 * signature (`sig=`) and a webhook secret signs our requests, so both are secrets: no error message or log line
 * built here ever contains a URL or a secret — problems name the destination's index and the field only.
 */

/** Plain http only to this machine: the test receivers. Everything that leaves it is HTTPS. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Azure's instance metadata and host endpoints by name: a destination there would hand them our signed requests. */
const METADATA_HOSTS = new Set(['metadata', 'metadata.azure.com', 'metadata.google.internal', '168.63.129.16']);

/**
 * Link-local (169.254.0.0/16, where the instance metadata service answers; fe80::/10), unique-local (fc00::/7, which
 * holds fd00::/8) and metadata hosts, as `URL` spells them (lower case, IPv6 in brackets, IPv4-mapped IPv6 in hex).
 */
function isInternalAddress(hostname: string): boolean {
  if (METADATA_HOSTS.has(hostname.replace(/\.$/, ''))) return true;
  if (/^169\.254\.\d+\.\d+$/.test(hostname)) return true;
  if (!hostname.startsWith('[')) return false;
  const v6 = hostname.slice(1, -1);
  if (/^f[cd][0-9a-f]{0,2}:/.test(v6) || /^fe[89ab][0-9a-f]?:/.test(v6)) return true;
  // ::ffff:169.254.x.y, which URL writes as ::ffff:a9fe:xxxx.
  return /^::ffff:a9fe:/.test(v6);
}

const destinationUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not an absolute URL' });
    return;
  }
  if (isInternalAddress(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'must not point at a link-local, metadata or unique-local address' });
    return;
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  ctx.addIssue({ code: 'custom', message: 'must be https:// (plain http:// only to 127.0.0.1, localhost or [::1])' });
});

const subscriptionId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a subscription id (a GUID)')
  .transform((id) => id.toLowerCase());

const ruleId = z.string().refine((id) => RULES_BY_ID.has(id), 'is not a rule id this version knows (see docs/rules/)');

const common = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  url: destinationUrl,
  minSeverity: z.enum(['error', 'warning', 'info']).default('info'),
  subscriptions: z.array(subscriptionId).min(1, 'must list at least one subscription (leave it out for all)').optional(),
  rules: z.array(ruleId).min(1, 'must list at least one rule (leave it out for all)').optional(),
};

// Strict: a misspelt filter ("minseverity") would otherwise be dropped silently and widen what is sent.
const teamsDestination = z.strictObject({ ...common, type: z.literal('teams') });
/** `whsec_<base64>` (Standard Webhooks' form: the key is the decoded bytes) or a plain string of 16+ characters. */
const webhookSecret = z.string().superRefine((value, ctx) => {
  if (!value.startsWith(WHSEC_PREFIX)) {
    if (value.length < 16)
      ctx.addIssue({ code: 'custom', message: 'must be at least 16 characters (a random value, e.g. openssl rand -hex 32) or whsec_<base64>' });
    return;
  }
  const encoded = value.slice(WHSEC_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || Buffer.from(encoded, 'base64').length < 24) {
    ctx.addIssue({ code: 'custom', message: 'whsec_ must be followed by base64 of at least 24 random bytes (e.g. whsec_$(openssl rand -base64 32))' });
  }
});
const webhookDestination = z.strictObject({
  ...common,
  type: z.literal('webhook'),
  // Receivers verify the HMAC with it; an unsigned webhook could not reject forgeries or replays. Two secrets during
  // a rotation, newest first: each request carries a signature per secret, so receivers switch when they are ready.
  secret: z.union(
    [webhookSecret, z.array(webhookSecret).min(1, 'must list one or two secrets').max(2, 'holds at most two secrets (the new and the old, during a rotation)')],
    {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a secret, or a list of two during a rotation (newest first)'),
    },
  ),
});

const destinationEntry = z.discriminatedUnion('type', [teamsDestination, webhookDestination], { error: 'must be "teams" or "webhook"' });
const destinationList = z.array(destinationEntry);

interface DestinationCommon {
  name: string;
  /** A secret: never logged, never in an error. */
  url: string;
  minSeverity: Severity;
  /** Lower-cased subscription ids; null means every subscription. */
  subscriptions: string[] | null;
  /** null means every rule. */
  rules: string[] | null;
}
export interface TeamsDestination extends DestinationCommon {
  type: 'teams';
}
export interface WebhookDestination extends DestinationCommon {
  type: 'webhook';
  /** Secrets: never logged, never in an error. One, or two (newest first) during a rotation. */
  secrets: string[];
}
export type AlertDestination = TeamsDestination | WebhookDestination;

export class AlertDestinationsError extends Error {
  constructor(readonly problems: string[]) {
    super(`ALERT_DESTINATIONS is invalid: ${problems.join('; ')}`);
    this.name = 'AlertDestinationsError';
  }
}

/**
 * An unknown field's name as a problem may quote it: a short word (a misspelt field) is quoted, anything else could be
 * a secret pasted where a name belongs (a JSON key is as easy to paste into as a value) and is not shown.
 */
function fieldNameText(key: string): string {
  return /^[A-Za-z]{1,24}$/.test(key) ? `"${key}"` : '(a name not shown: it could be a secret)';
}

/** `[2].subscriptions[0]` from a zod path. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * The setting's text → destinations. Unset or blank means none. Every problem is reported at once, each as
 * `ALERT_DESTINATIONS[i].field: what is wrong` — messages are ours or zod's (which never quote the input).
 */
export function parseAlertDestinations(raw: string | undefined): AlertDestination[] {
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // JSON.parse's own message quotes the text around the error — which may be a URL or a secret.
    throw new AlertDestinationsError(['ALERT_DESTINATIONS: is not valid JSON (expected an array of destinations)']);
  }
  const parsed = destinationList.safeParse(json);
  if (!parsed.success) {
    throw new AlertDestinationsError(
      parsed.error.issues.map((issue) => {
        const where = `ALERT_DESTINATIONS${pathText(issue.path).replace(/^(?=[^[])/, '.')}`;
        if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(fieldNameText).join(', ')}`;
        if (issue.path.length === 0) return `${where}: must be a JSON array of destinations`;
        if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return `${where}: is required`;
        return `${where}: ${issue.message}`;
      }),
    );
  }
  const seen = new Map<string, number>();
  const problems: string[] = [];
  parsed.data.forEach((d, index) => {
    const key = d.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) problems.push(`ALERT_DESTINATIONS[${index}].name: the same name as destination [${first}] (names must be unique)`);
    else seen.set(key, index);
  });
  if (problems.length > 0) throw new AlertDestinationsError(problems);
  return parsed.data.map((d) => {
    const base = { name: d.name, url: d.url, minSeverity: d.minSeverity, subscriptions: d.subscriptions ?? null, rules: d.rules ?? null };
    return d.type === 'webhook' ? { ...base, type: 'webhook', secrets: typeof d.secret === 'string' ? [d.secret] : d.secret } : { ...base, type: 'teams' };
  });
}

/** What may be logged about a destination. */
export function describeDestination(destination: AlertDestination): { destination: string; type: AlertDestination['type'] } {
  return { destination: destination.name, type: destination.type };
}
