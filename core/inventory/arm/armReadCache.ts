/**
 * Short-lived, in-process memory of ARM reads that rarely change and that many VMs share: a subscription's locks, a
 * resource group's disks, NICs and public IPs, backup policies and vaults. Entries live `ttlMs` (kept shorter than the
 * event coalescing window, so an evaluation an event caused always reads after the event), concurrent readers of one
 * key share one request, and the events that change a resource drop what holds it (`invalidate`). A failed read is
 * never remembered.
 */
export class ArmReadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  hits = 0;
  misses = 0;

  constructor(
    readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
    /** Bounds memory on a long-lived instance; the oldest entries go first. */
    private readonly maxEntries = 2_000,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.ttlMs) {
      this.hits += 1;
      return entry.value as Promise<T>;
    }
    this.misses += 1;
    const value = load();
    this.entries.delete(key); // re-inserted last: Map order is the eviction order
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Remembers a value read as part of something else (a VM's own read says which disks and NICs it holds). */
  set<T>(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.clock(), value: Promise.resolve(value) });
  }

  /** The value of a key within its lifetime, without reading anything; undefined when absent or expired. */
  async peek<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    return entry && this.clock() - entry.at < this.ttlMs ? ((await entry.value.catch(() => undefined)) as T | undefined) : undefined;
  }

  /** Drops every entry whose key starts with `prefix` (keys are built by `cacheKey`, lower-cased). */
  invalidate(prefix: string): number {
    let dropped = 0;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) dropped += Number(this.entries.delete(key));
    return dropped;
  }
}

/**
 * How long shared reads are kept: at most half the coalescing window, so an evaluation made after the window never
 * uses a read older than the event that caused it, whichever instance handled the event; at most 20 s in any case;
 * 5 s when events are evaluated inline (nothing to align with).
 */
export function cacheLifetimeFor(coalesceWindowMs: number): number {
  return coalesceWindowMs > 0 ? Math.max(1_000, Math.min(20_000, coalesceWindowMs / 2)) : 5_000;
}

/** Cache keys: the kind, then a lower-cased ARM scope (ids are case-insensitive). */
export const cacheKey = {
  locks: (subscriptionId: string) => `locks|/subscriptions/${subscriptionId.toLowerCase()}`,
  group: (kind: GroupListKind, subscriptionId: string, resourceGroup: string) =>
    `${kind}|/subscriptions/${subscriptionId.toLowerCase()}/resourcegroups/${resourceGroup.toLowerCase()}`,
  byId: (kind: 'policy' | 'vault', id: string) => `${kind}|${id.toLowerCase()}`,
  /** The VM a disk or NIC was attached to, as the VM's own latest read said. */
  owner: (diskOrNicId: string) => `owner|${diskOrNicId.toLowerCase()}`,
};

export type GroupListKind = 'disks' | 'nics' | 'publicIps';
