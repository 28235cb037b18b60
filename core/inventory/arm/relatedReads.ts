import type { z } from 'zod';
import { armDisk, armLock, armNetworkInterface, armPublicIpAddress } from '../../armModel/armSchemas.js';
import { formatJsonPath, inputPath, parseArmResource } from '../../armModel/armShape.js';
import { idKey, parseArmId } from '../../armModel/armId.js';
import type { ArmAccess } from './armAccess.js';
import { armClients } from './armClients.js';
import { cacheKey, type ArmReadCache, type GroupListKind } from './armReadCache.js';
import { isTransient, statusOf } from './armErrors.js';

/** A resource the SDK returned, validated like file input: ARM changing a field's type is an error naming it. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = parseArmResource(schema, JSON.parse(JSON.stringify(value)));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`ARM returned an unexpected ${what}: ${formatJsonPath(inputPath(value, issue.path))}: ${issue.message}`);
}

/** A related resource: 404 or 403 leaves it out (rules that need it turn unknown); throttling and 5xx propagate. */
export async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (!isTransient(error) && (statusOf(error) === 404 || statusOf(error) === 403)) return null;
    throw error;
  }
}

function scopeOf(id: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const parsed = parseArmId(id);
  return { subscriptionId: parsed.subscriptionId ?? '', resourceGroup: parsed.resourceGroup ?? '', name: parsed.name ?? '' };
}

type Disk = z.output<typeof armDisk>;
type Nic = z.output<typeof armNetworkInterface>;
type PublicIp = z.output<typeof armPublicIpAddress>;

/**
 * How the related resources of a VM are read. Without a cache (the CLI's one-off scan): one GET per resource, as
 * before. With one (the Function App): a resource group's disks, NICs and public IPs come from one list call each,
 * shared by every VM of the group evaluated within the cache's lifetime; a resource the list does not hold (created
 * after it was read) is read by id. Locks are listed once per subscription either way; with a cache, once per lifetime.
 */
export function relatedReads(access: ArmAccess, cache: ArmReadCache | undefined) {
  const get = {
    disk: (id: string) =>
      optional(async () =>
        validated(
          armDisk,
          await (await armClients(access, scopeOf(id).subscriptionId).compute()).disks.get(scopeOf(id).resourceGroup, scopeOf(id).name),
          `disk ${id}`,
        ),
      ),
    nic: (id: string) =>
      optional(async () =>
        validated(
          armNetworkInterface,
          await (await armClients(access, scopeOf(id).subscriptionId).network()).networkInterfaces.get(scopeOf(id).resourceGroup, scopeOf(id).name),
          `network interface ${id}`,
        ),
      ),
    publicIp: (id: string) =>
      optional(async () =>
        validated(
          armPublicIpAddress,
          await (await armClients(access, scopeOf(id).subscriptionId).network()).publicIPAddresses.get(scopeOf(id).resourceGroup, scopeOf(id).name),
          `public IP ${id}`,
        ),
      ),
  };
  if (!cache) return { ...get, locks: (subscriptionId: string) => readLocks(access, subscriptionId) };

  const listers: { [K in GroupListKind]: (s: string, rg: string) => Promise<AsyncIterable<unknown>> } = {
    disks: async (s, rg) => (await armClients(access, s).compute()).disks.listByResourceGroup(rg),
    nics: async (s, rg) => (await armClients(access, s).network()).networkInterfaces.list(rg),
    publicIps: async (s, rg) => (await armClients(access, s).network()).publicIPAddresses.list(rg),
  };
  const inGroup = async <T extends { id: string }>(
    kind: GroupListKind,
    schema: z.ZodType<T>,
    id: string,
    byId: (id: string) => Promise<T | null>,
  ): Promise<T | null> => {
    const { subscriptionId, resourceGroup } = scopeOf(id);
    const listed = await cache.get(cacheKey.group(kind, subscriptionId, resourceGroup), async () => {
      const found = new Map<string, T>();
      // A list we may not read leaves the map empty: each resource is then read by id (and may be left out there).
      await optional(async () => {
        for await (const resource of await listers[kind](subscriptionId, resourceGroup)) {
          const value = validated(schema, resource, `${kind} of ${resourceGroup}`);
          found.set(idKey(value.id), value);
        }
      });
      return found;
    });
    return listed.get(idKey(id)) ?? byId(id);
  };
  return {
    disk: (id: string) => inGroup<Disk>('disks', armDisk as z.ZodType<Disk>, id, get.disk),
    nic: (id: string) => inGroup<Nic>('nics', armNetworkInterface as z.ZodType<Nic>, id, get.nic),
    publicIp: (id: string) => inGroup<PublicIp>('publicIps', armPublicIpAddress as z.ZodType<PublicIp>, id, get.publicIp),
    locks: (subscriptionId: string) => cache.get(cacheKey.locks(subscriptionId), () => readLocks(access, subscriptionId)),
  };
}

/** A policy or vault by id: cached when a cache is given (policy write events drop their policy). */
export function cachedById<T>(cache: ArmReadCache | undefined, kind: 'policy' | 'vault', id: string, read: () => Promise<T>): Promise<T> {
  return cache ? cache.get(cacheKey.byId(kind, id), read) : read();
}

/**
 * Every lock of the subscription (one paged call): the rule picks those on the VM's group and restore point groups.
 * null when they may not be read: the lock rule then says unknown instead of passing.
 */
async function readLocks(access: ArmAccess, subscriptionId: string): Promise<z.output<typeof armLock>[] | null> {
  const locks = await armClients(access, subscriptionId).locks();
  const all: z.output<typeof armLock>[] = [];
  const read = await optional(async () => {
    for await (const lock of locks.managementLocks.listAtSubscriptionLevel()) all.push(validated(armLock, lock, 'management lock'));
    return true;
  });
  return read ? all : null;
}
