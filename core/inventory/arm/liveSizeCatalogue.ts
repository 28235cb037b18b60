import type { SizeCatalogue, VmSizeFacts } from '../sizeCatalogue.js';

interface SkuLike {
  resourceType?: string;
  name?: string;
  capabilities?: { name?: string; value?: string }[];
}

/** Reads a region's VM sizes from the Compute SKUs API, through a subscription that can see the region. */
export type SkuLister = (location: string, subscriptionId: string) => AsyncIterable<SkuLike>;

/**
 * Sizes from the Compute SKUs API, cached per region for the life of the process (sizes do not change under a
 * running fleet); a size the API does not list falls back to the bundled table.
 */
export class LiveSizeCatalogue implements SizeCatalogue {
  private readonly regions = new Map<string, Map<string, VmSizeFacts>>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly listSkus: SkuLister,
    private readonly fallback: SizeCatalogue,
  ) {}

  /** Loads a region once (concurrent callers share the request); lookups after it are synchronous. */
  ensureRegion(location: string | null, subscriptionId: string): Promise<void> {
    if (!location || this.regions.has(location)) return Promise.resolve();
    let pending = this.loading.get(location);
    if (!pending) {
      pending = this.load(location, subscriptionId).finally(() => this.loading.delete(location));
      this.loading.set(location, pending);
    }
    return pending;
  }

  private async load(location: string, subscriptionId: string): Promise<void> {
    const sizes = new Map<string, VmSizeFacts>();
    for await (const sku of this.listSkus(location, subscriptionId)) {
      if (sku.resourceType?.toLowerCase() !== 'virtualmachines' || !sku.name) continue;
      const capability = (name: string) => Number(sku.capabilities?.find((c) => c.name === name)?.value);
      const vCpus = capability('vCPUsAvailable') || capability('vCPUs');
      const memoryGiB = capability('MemoryGB');
      if (vCpus > 0 && memoryGiB > 0) sizes.set(sku.name.toLowerCase(), { vCpus, memoryGiB });
    }
    this.regions.set(location, sizes);
  }

  lookup(sizeName: string, location: string | null): VmSizeFacts | null {
    const regional = location ? this.regions.get(location)?.get(sizeName.toLowerCase()) : undefined;
    return regional ?? this.fallback.lookup(sizeName, location);
  }
}
