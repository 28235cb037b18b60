import { z } from 'zod';
import bundledSizes from './vm-sizes.json';

export interface VmSizeFacts {
  vCpus: number;
  memoryGiB: number;
}

/** vCPUs and memory by VM size. Offline: the bundled table; live runs (a later reader) use the Compute SKUs API. */
export interface SizeCatalogue {
  lookup(sizeName: string, location: string | null): VmSizeFacts | null;
}

const sizeTable = z.object({
  families: z.array(
    z.object({
      family: z.string(),
      source: z.string(),
      sizes: z.array(z.tuple([z.string(), z.number().positive(), z.number().positive()])),
    }),
  ),
});

/** Size names are case-insensitive in ARM (`standard_d2s_v3` is accepted), so the table is keyed lower-case. */
export function sizeCatalogueFrom(table: unknown): SizeCatalogue {
  const parsed = sizeTable.parse(table);
  const sizes = new Map<string, VmSizeFacts>();
  for (const family of parsed.families) {
    for (const [name, vCpus, memoryGiB] of family.sizes) sizes.set(name.toLowerCase(), { vCpus, memoryGiB });
  }
  return { lookup: (sizeName) => sizes.get(sizeName.toLowerCase()) ?? null };
}

let bundled: SizeCatalogue | null = null;

export function bundledSizeCatalogue(): SizeCatalogue {
  bundled ??= sizeCatalogueFrom(bundledSizes);
  return bundled;
}
