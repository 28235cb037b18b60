import { LIVE_READER_OPTIONS } from '../snapshot/buildVmSnapshot.js';
import { liveSnapshots } from '../assessment/liveSnapshots.js';
import type { SweepServices } from './sweepServices.js';
import { forEachLimited } from '../platform/concurrency.js';
import type { SweepProjection } from '../store/index.js';
import { idKey } from '../armModel/armId.js';
import { subscriptionOfKey } from './subscriptionOfKey.js';
import { fingerprintOf } from '../assessment/fingerprint.js';
import { inScope } from '../platform/subscriptionScope.js';
import { redactSecrets } from '../platform/safeErrorText.js';
import type { FleetPage } from './readProtectedFleet.js';
import { applySweepWork } from './applySweepWork.js';
import type { SweepDispatch, SweepReason, SweepWork } from '../queue/sweepWorkItem.js';
import { deadlineSignal } from '../platform/callDeadline.js';

const WRITE_CONCURRENCY = 8;

export interface SweepOptions {
  /** Subscriptions to sweep; empty: every subscription the identity can read. */
  subscriptions: readonly string[];
  /** Re-evaluate a VM whose last evaluation is older than this, even without drift. */
  maxAgeMs: number;
  /** Stop starting new evaluations after this long, and abort the calls in flight then (the host's time limit minus a margin). */
  timeBudgetMs: number;
}

/** `full`: the whole protected fleet was read; `incremental`: only what Resource Graph says changed, and dirty marks. */
export type SweepPath = 'full' | 'incremental';

export interface SweepResult {
  /** Which sweep found what `reasons` counts (the bench shows the split). */
  path: SweepPath;
  /** Protected VMs read (the whole fleet on the full path; the changed ones on the incremental path). */
  protectedVms: number;
  /** Re-evaluations done (or, with a queue dispatcher, handed to the queue). */
  evaluated: number;
  reasons: Record<SweepReason, number>;
  unchanged: number;
  /** false when the time budget ran out: the next run continues with the VMs left (they still differ). */
  complete: boolean;
  skippedRows: string[];
}

export type DirtyMarks = Map<string, { etag: string; vmId: string }>;

/**
 * One run of either sweep: the decision for each VM of a Resource Graph page (one path for both sweeps), the
 * dispatch of the work within the time budget, and the tally. Never-evaluated and oldest go first within a page; a
 * run cut short by its time budget leaves the rest to the next run (each VM's write is atomic; finished VMs now
 * match, so they are not taken again).
 */
export class SweepRun {
  private readonly started: number;
  private readonly send: SweepDispatch;
  readonly reasons: SweepResult['reasons'] = { new: 0, drift: 0, dirty: 0, 'protection-changed': 0, stale: 0, 'lost-protection': 0 };
  /** Id keys (idKey) of the protected VMs the pages held. */
  readonly seen = new Set<string>();
  private readonly failures: string[] = [];
  private readonly skippedRows: string[] = [];
  private evaluated = 0;
  private protectedVms = 0;
  private changed = 0;
  complete = true;

  constructor(
    private readonly services: SweepServices,
    private readonly options: SweepOptions,
    private readonly path: SweepPath,
    readonly dirty: DirtyMarks,
    dispatch?: SweepDispatch,
  ) {
    this.started = services.now().getTime();
    this.send = dispatch ?? ((work) => applySweepWork(services, work));
  }

  outOfTime(): boolean {
    if (this.services.now().getTime() - this.started > this.options.timeBudgetMs || deadlineSignal()?.aborted) this.complete = false;
    return !this.complete;
  }

  /** Whether the budget's deadline aborted what was in flight: a call that failed then leaves the run incomplete, not failed. */
  deadlinePassed(): boolean {
    if (!deadlineSignal()?.aborted) return false;
    this.complete = false;
    return true;
  }

  /**
   * Compares each VM of a page with its projection row (`known`: what the store last evaluated) and dispatches the
   * VMs whose fingerprint or protection changed, that an event marked dirty, that were never evaluated, or whose
   * last evaluation is too old — through the same evaluate → applyEvaluation path as events.
   */
  async takePage(page: FleetPage, known: ReadonlyMap<string, SweepProjection>): Promise<void> {
    // Evaluations are stored as of the read: an event that stored a fresher read of a VM meanwhile wins.
    const observedAt = this.services.now().toISOString();
    this.skippedRows.push(...page.skipped);
    this.protectedVms += page.protectedVmIds.length;
    for (const id of page.protectedVmIds) this.seen.add(idKey(id));
    const snapshots = await liveSnapshots(this.services.sizes, page.inventory, LIVE_READER_OPTIONS);
    const now = this.services.now().getTime();
    const work: (SweepWork & { age: number })[] = [];
    for (const snapshot of snapshots) {
      const fingerprint = fingerprintOf(snapshot, this.services.edition.id);
      const key = idKey(snapshot.id);
      const stored = known.get(key);
      const age = stored ? now - Date.parse(stored.lastEvaluatedAt) : Number.POSITIVE_INFINITY;
      const reason = reasonFor(stored, this.dirty.has(key), (snapshot.protection.itemId ?? '').toLowerCase(), fingerprint, age > this.options.maxAgeMs);
      if (reason) work.push({ kind: 'snapshot', vmId: snapshot.id, reason, snapshot, fingerprint, observedAt, age, ...withEtag(this.dirty.get(key)) });
    }
    this.changed += work.length;
    work.sort((a, b) => b.age - a.age);
    await this.run(work.map(({ age: _age, ...w }) => w as SweepWork));
  }

  /** Rows read outside the pages (the change history) that were left out, with the reason. */
  skip(rows: readonly string[]): void {
    this.skippedRows.push(...rows);
  }

  /** Dirty VMs that no page held (a disk of an unprotected VM changed): re-read from ARM, unless already queued. */
  dirtyRereads(queued: ReadonlySet<string>): SweepWork[] {
    const reread: SweepWork[] = [];
    for (const [key, mark] of this.dirty) {
      if (this.seen.has(key) || queued.has(key) || !mark.vmId || !inScope(subscriptionOfKey(key), this.options.subscriptions)) continue;
      reread.push({ kind: 'reread', vmId: mark.vmId, reason: 'dirty', dirtyEtag: mark.etag });
    }
    return reread;
  }

  async run(items: readonly SweepWork[]): Promise<void> {
    await forEachLimited(items, WRITE_CONCURRENCY, async (work) => {
      if (this.outOfTime()) return;
      try {
        await this.send(work);
        this.reasons[work.reason] += 1;
        this.evaluated += 1;
      } catch (error) {
        if (this.deadlinePassed()) return;
        // One VM's failure must not stop the others; it still differs, so the next run takes it again. The message
        // ends up in the host's log (SweepFailure): redacted.
        this.failures.push(`${work.vmId}: ${redactSecrets((error as Error).message)}`);
      }
    });
  }

  /** The tally; throws SweepFailure when some VMs could not be evaluated (the rest was done). */
  result(): SweepResult {
    if (this.failures.length > 0) throw new SweepFailure(this.failures, this.evaluated);
    return {
      path: this.path,
      protectedVms: this.protectedVms,
      evaluated: this.evaluated,
      reasons: this.reasons,
      unchanged: this.protectedVms - this.changed,
      complete: this.complete,
      skippedRows: this.skippedRows,
    };
  }
}

export function withEtag(mark: { etag: string } | undefined): { dirtyEtag?: string } {
  return mark ? { dirtyEtag: mark.etag } : {};
}

function reasonFor(stored: SweepProjection | undefined, dirty: boolean, itemId: string, fingerprint: string, tooOld: boolean): SweepReason | null {
  if (!stored || stored.state === 'deleted') return 'new';
  if (dirty) return 'dirty';
  if (stored.protectedItemId !== itemId) return 'protection-changed';
  if (stored.fingerprint !== fingerprint) return 'drift';
  return tooOld ? 'stale' : null;
}

/** Some VMs could not be evaluated (storage or ARM trouble); the rest of the sweep was done. */
export class SweepFailure extends Error {
  constructor(
    readonly failures: string[],
    readonly evaluated: number,
  ) {
    super(`${failures.length} VM(s) could not be evaluated (${evaluated} were): ${failures.slice(0, 3).join('; ')}`);
    this.name = 'SweepFailure';
  }
}
