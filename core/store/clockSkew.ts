/**
 * How far the clocks that stamp `observedAt` (Function App instances, a person's machine) may disagree. Reads are
 * ordered by those stamps, so within this bound their order is not known: the write that arrives later wins, and the
 * next event or sweep converges. Only a read older than the stored one by more than this is stale. Documented in
 * docs/storage-layout.md; the CLI refuses an --observed-at further than this in its own future. Azure hosts keep
 * their clocks synchronised far more tightly than this.
 */
export const MAX_CLOCK_SKEW_MS = 5_000;
