import { createHash } from 'node:crypto';

/**
 * The exact shapes of the resource ids an event may name. An event's resourceUri becomes a table key, an ARM URL
 * and a log field, so anything loose (`..`, an encoded slash, a query or fragment, extra segments) is refused
 * before it is used: such an event is acknowledged with the reason, never thrown (a throw means 24 hours of Event
 * Grid retries). Compared case-insensitively, as ARM compares ids.
 */
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// ARM's rules: resource group 1-90 of letters, digits, `._-()`, not ending in `.`; other names are kept loose but
// never contain `/`, `?`, `#` or `%` (checked for the whole id below).
const GROUP = '[-\\w._()]{0,89}[-\\w_()]';
const NAME = '[^/]{1,260}';
const SCOPE = `/subscriptions/${GUID}/resourceGroups/${GROUP}/providers`;
const VAULT = `${SCOPE}/Microsoft\\.RecoveryServices/vaults/${NAME}`;

const shapes = {
  vm: new RegExp(`^${SCOPE}/Microsoft\\.Compute/virtualMachines/${NAME}$`, 'i'),
  'disk-or-nic': new RegExp(`^${SCOPE}/(Microsoft\\.Compute/disks|Microsoft\\.Network/networkInterfaces)/${NAME}$`, 'i'),
  'protected-item': new RegExp(`^${VAULT}/backupFabrics/${NAME}/protectionContainers/${NAME}/protectedItems/${NAME}$`, 'i'),
  policy: new RegExp(`^${VAULT}/backupPolicies/${NAME}$`, 'i'),
  // On a subscription, a group, or a resource of the group (`/providers/{namespace}/{type}/{name}`, nested types too).
  lock: new RegExp(
    `^/subscriptions/${GUID}(/resourceGroups/${GROUP}(/providers/[^/]+(/[^/]+/[^/]+)+)?)?/providers/Microsoft\\.Authorization/locks/${NAME}$`,
    'i',
  ),
};

/**
 * The kinds of id an event can name. eventHints.ts passes each hint's kind to idProblem, so a hint kind with no shape
 * here does not compile (and this file needs nothing from eventHints.ts, which imports it).
 */
export type IdKind = keyof typeof shapes;

const WHAT: Record<IdKind, string> = {
  vm: 'a VM',
  'disk-or-nic': 'a disk or NIC',
  'protected-item': 'a protected item',
  policy: 'a backup policy',
  lock: 'a management lock',
};

/** Why `id` is not a well-formed id of the kind the operation names, or null when it is. */
export function idProblem(kind: IdKind, id: string): string | null {
  if (id.length > 1024) return `resourceUri is longer than 1024 characters`;
  if (/[?#%\\]|\.\.|\/\/|[\u0000-\u001f\u007f]/.test(id)) return `resourceUri has "..", "//", "?", "#", "%", "\\" or a control character`;
  if (!shapes[kind].test(id)) return `resourceUri is not ${WHAT[kind]} id of the exact form ARM gives`;
  return null;
}

/** Event and correlation ids are stored (history, marks): at most this long, so a huge one cannot break a row. */
export const MAX_EVENT_ID_LENGTH = 128;

/** `id` if short enough; else a prefix and a hash of the whole, so two long ids stay distinct. */
export function boundedId(id: string): string {
  if (id.length <= MAX_EVENT_ID_LENGTH) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${id.slice(0, MAX_EVENT_ID_LENGTH - hash.length - 1)}~${hash}`;
}
