import type { ArmAccess } from './armAccess.js';
import { armClients } from './armClients.js';
import type { SkuLister } from './liveSizeCatalogue.js';

/** The Compute SKUs API for one region (location names are `[a-z0-9]`: safe in the service's own filter syntax). */
export function skuListerFor(access: ArmAccess): SkuLister {
  return async function* (location, subscriptionId) {
    if (!/^[a-z0-9]+$/.test(location)) throw new Error(`not a region name: ${location}`);
    const compute = await armClients(access, subscriptionId).compute();
    yield* compute.resourceSkus.list({ filter: `location eq '${location}'` });
  };
}
