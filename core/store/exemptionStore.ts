import { z } from 'zod';
import type { ExemptionContext } from '../exemptions/applyExemptions.js';
import { exemptionErrors, exemptionSchema, scopeKindOf, type Exemption } from '../exemptions/exemption.js';
import { idKey, parseArmId } from '../armModel/armId.js';
import { forEachLimited } from '../platform/concurrency.js';
import type { IndexedStore } from './indexedStore.js';
import { vmPartitionKey } from './tableKeys.js';

/**
 * Exemptions kept in the findings table, in partitions of their own: they are truth (people wrote them), not
 * derived from VM partitions like the rest of `ix.*`. One partition holds them all (an estate has tens or hundreds,
 * read in one request); another keeps the audit trail, keyed by time, and is never rewritten.
 */
export const EXEMPTIONS_PARTITION = 'ix.exemptions';
export const EXEMPTIONS_AUDIT_PARTITION = 'ix.exemptions.audit';

/** How long an evaluator trusts its copy: a change made through another instance applies within this. */
const CACHE_MS = 60_000;

/**
 * At most this many VMs are marked for the sweep when an exemption changes. A wider scope (a large subscription)
 * is left to the sweep's maximum age, as before: thousands of marks would make one API call slow.
 */
export const MAX_VMS_MARKED_PER_EXEMPTION = 1000;

export interface AuditEntry {
  at: string;
  action: 'added' | 'replaced' | 'removed';
  id: string;
  by: string;
  /** The exemption as added, or as it was when removed. */
  exemption: Exemption;
}

const storedRow = z.object({
  id: z.string(),
  scope: z.string(),
  rules: z.string(),
  category: z.string(),
  reason: z.string(),
  expiresOn: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const auditRow = z.object({ at: z.string(), action: z.enum(['added', 'replaced', 'removed']), id: z.string(), by: z.string(), exemption: z.string() });

const rowKeyOf = (id: string) => id.toLowerCase();

function toRow(e: Exemption) {
  return {
    partitionKey: EXEMPTIONS_PARTITION,
    rowKey: rowKeyOf(e.id),
    id: e.id,
    scope: e.scope,
    rules: JSON.stringify(e.rules),
    category: e.category,
    reason: e.reason,
    expiresOn: e.expiresOn ?? '',
    createdBy: e.createdBy,
    createdAt: e.createdAt,
  };
}

/** A stored row back to an exemption; a row that no longer validates (a rule id retired since) is left out. */
function fromRow(entity: unknown): Exemption | null {
  const row = storedRow.safeParse(entity);
  if (!row.success) return null;
  const parsed = exemptionSchema.safeParse({ ...row.data, rules: JSON.parse(row.data.rules) as unknown, expiresOn: row.data.expiresOn || null });
  return parsed.success ? parsed.data : null;
}

/** An exemption refused as written (unknown rule id, bad scope, no reason, …): nothing was stored. */
export class InvalidExemptionError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'InvalidExemptionError';
  }
}

const cache = new WeakMap<IndexedStore, { at: number; list: Promise<Exemption[]> }>();

export class ExemptionStore {
  constructor(private readonly store: IndexedStore) {}

  async list(): Promise<Exemption[]> {
    const found: Exemption[] = [];
    for await (const entity of this.store.index.rows(EXEMPTIONS_PARTITION)) {
      const e = fromRow(entity);
      if (e) found.push(e);
    }
    return found;
  }

  /** What evaluations apply: the list, read at most once a minute per store (an evaluation must not cost a read). */
  forEvaluation(): Promise<Exemption[]> {
    const hit = cache.get(this.store);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.list;
    const list = this.list();
    cache.set(this.store, { at: Date.now(), list });
    list.catch(() => cache.delete(this.store));
    return list;
  }

  async get(id: string): Promise<Exemption | null> {
    return this.store.index.getRow(EXEMPTIONS_PARTITION, rowKeyOf(id), { parse: (v: unknown) => fromRow(v) });
  }

  /** Adds or replaces one (validated: unknown rule ids are refused). `by` and `now` become createdBy and createdAt. */
  async put(input: unknown, by: string, now: string): Promise<{ exemption: Exemption; created: boolean }> {
    const parsed = exemptionSchema.safeParse({ ...(input as object), createdBy: by, createdAt: now });
    if (!parsed.success) throw new InvalidExemptionError(exemptionErrors(parsed.error));
    const exemption = parsed.data;
    const before = await this.get(exemption.id);
    await this.store.index.putEntry(toRow(exemption));
    await this.audit({ at: now, action: before ? 'replaced' : 'added', id: exemption.id, by, exemption });
    cache.delete(this.store);
    await this.markScopeDirty([exemption.scope, ...(before ? [before.scope] : [])], exemption.id, now);
    return { exemption, created: before === null };
  }

  /** Removes one; false when there was none by that id. The audit entry keeps what it said. */
  async remove(id: string, by: string, now: string): Promise<boolean> {
    const before = await this.get(id);
    if (!before) return false;
    await this.store.index.deleteIfPresent(EXEMPTIONS_PARTITION, rowKeyOf(id));
    await this.audit({ at: now, action: 'removed', id: before.id, by, exemption: before });
    cache.delete(this.store);
    await this.markScopeDirty([before.scope], before.id, now);
    return true;
  }

  /**
   * The VMs under an exemption's scope (before and after a change) get a dirty mark, so the next sweep re-evaluates
   * them: a finding turns exempted, or opens again, within a sweep period instead of when the VM next changes or its
   * evaluation reaches the maximum age. The VMs of a group or subscription are those the store knows (projections).
   */
  private async markScopeDirty(scopes: string[], exemptionId: string, at: string): Promise<void> {
    const vmIds = new Map<string, string>();
    for (const scope of scopes) {
      if (scopeKindOf(scope) === 'vm') {
        // Only a VM the store knows: an unknown one has no finding to change, and a mark would make the sweep add it.
        if ((await this.store.index.projection(vmPartitionKey(scope)))?.state === 'present') vmIds.set(idKey(scope), scope);
        continue;
      }
      const { subscriptionId, resourceGroup } = parseArmId(scope);
      if (!subscriptionId) continue;
      for await (const row of this.store.index.projections(subscriptionId)) {
        if (row.state !== 'present') continue;
        if (resourceGroup !== null && parseArmId(row.vmId).resourceGroup?.toLowerCase() !== resourceGroup.toLowerCase()) continue;
        vmIds.set(idKey(row.vmId), row.vmId);
        if (vmIds.size > MAX_VMS_MARKED_PER_EXEMPTION) return;
      }
    }
    const cause = `exemption ${exemptionId}`;
    await forEachLimited([...vmIds.values()], 8, (vmId) => this.store.index.markDirty(vmPartitionKey(vmId), { vmId, cause, eventId: '', at }));
  }

  /** The audit trail, oldest first. */
  async auditTrail(): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for await (const entity of this.store.index.rows(EXEMPTIONS_AUDIT_PARTITION)) {
      const row = auditRow.safeParse(entity);
      if (row.success) entries.push({ ...row.data, exemption: JSON.parse(row.data.exemption) as Exemption });
    }
    return entries;
  }

  private async audit(entry: AuditEntry): Promise<void> {
    // The id and action in the key keep two changes in one millisecond apart.
    await this.store.index.putEntry({
      partitionKey: EXEMPTIONS_AUDIT_PARTITION,
      rowKey: `${entry.at}|${rowKeyOf(entry.id)}|${entry.action}`,
      at: entry.at,
      action: entry.action,
      id: entry.id,
      by: entry.by,
      exemption: JSON.stringify(entry.exemption),
    });
  }
}

/** The exemptions an evaluation of `now` applies, for the entry points that have a store (events, sweep, scan). */
export async function storedExemptions(store: IndexedStore, now: string): Promise<ExemptionContext> {
  return { exemptions: await new ExemptionStore(store).forEvaluation(), now };
}
