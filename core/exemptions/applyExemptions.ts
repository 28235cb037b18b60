import type { Evaluation } from '../matrix/evaluate.js';
import type { ResolvedEdition } from '../matrix/editions/index.js';
import { evaluate } from '../matrix/evaluate.js';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import type { RuleOutcome } from '../matrix/types.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import { isActive, refOf, scopeKindOf, type Exemption } from './exemption.js';
import { EXEMPT_TAG } from '../armModel/exemptTag.js';

export { EXEMPT_TAG };
export const TAG_EXEMPTION_ID = `tag:${EXEMPT_TAG}`;

/**
 * The exemption a VM's tag makes, or null when the tag is absent or says nothing usable (no `:`, no reason, no known
 * rule id). A tag cannot be refused like a file or API entry can, so unknown rule ids in it are left out.
 */
export function tagExemption(vmId: string, tag: string | null | undefined): Exemption | null {
  if (!tag) return null;
  const colon = tag.indexOf(':');
  if (colon < 0) return null;
  const reason = tag.slice(colon + 1).trim();
  const rules = tag
    .slice(0, colon)
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r === '*' || RULES_BY_ID.has(r));
  if (!reason || rules.length === 0) return null;
  return {
    id: TAG_EXEMPTION_ID,
    scope: vmId,
    rules: rules.includes('*') ? ['*'] : rules,
    category: 'waiver',
    reason,
    expiresOn: null,
    createdBy: 'tag',
    createdAt: '',
  };
}

/** Whether `scope` is the VM itself, its resource group or its subscription (ARM ids compare case-insensitively). */
export function scopeCovers(scope: string, vmId: string): boolean {
  const s = scope.toLowerCase();
  const vm = vmId.toLowerCase();
  return vm === s || vm.startsWith(`${s}/`);
}

const SPECIFICITY = { vm: 3, resourceGroup: 2, subscription: 1 } as const;

/**
 * Which exemption wins when several cover one finding, most decisive first: the narrower scope (VM, then resource
 * group, then subscription); a rule named over `*`; a stored or file exemption over the tag (it is audited); the one
 * that lasts longer (no expiry lasts longest); then the id, so the answer never depends on list order.
 */
function precedence(a: Exemption, b: Exemption): number {
  const tag = (e: Exemption) => (e.id === TAG_EXEMPTION_ID ? 1 : 0);
  const named = (e: Exemption) => (e.rules.includes('*') ? 0 : 1);
  const until = (e: Exemption) => (e.expiresOn === null ? Infinity : Date.parse(e.expiresOn));
  return (
    SPECIFICITY[scopeKindOf(b.scope)] - SPECIFICITY[scopeKindOf(a.scope)] ||
    named(b) - named(a) ||
    tag(a) - tag(b) ||
    until(b) - until(a) ||
    a.id.localeCompare(b.id)
  );
}

/** The exemption in force for one finding, if any. */
export function winningExemption(exemptions: readonly Exemption[], vmId: string, ruleId: string, now: string): Exemption | null {
  const covering = exemptions.filter((e) => isActive(e, now) && scopeCovers(e.scope, vmId) && (e.rules.includes('*') || e.rules.includes(ruleId)));
  return covering.sort(precedence)[0] ?? null;
}

export interface ExemptionContext {
  exemptions: readonly Exemption[];
  now: string;
}

/**
 * The one place exemptions apply: every finding (fail or unknown) an exemption in force covers is marked with it,
 * its outcome unchanged. Pure (the clock comes in as `now`), so the offline check, the store, the sweep and events
 * all agree. The tag is the VM's `vm-backup-guard-exempt` value.
 */
export function applyExemptions(evaluation: Evaluation, tag: string | null | undefined, context: ExemptionContext): Evaluation {
  const fromTag = tagExemption(evaluation.vmId, tag);
  const all = fromTag ? [...context.exemptions, fromTag] : context.exemptions;
  if (all.length === 0) return evaluation;
  const outcomes = evaluation.outcomes.map((o): RuleOutcome => {
    if (o.outcome !== 'fail' && o.outcome !== 'unknown') return o;
    const winner = winningExemption(all, evaluation.vmId, o.ruleId, context.now);
    return winner ? { ...o, exemption: refOf(winner) } : o;
  });
  return { ...evaluation, outcomes };
}

/** evaluate, then applyExemptions: what every entry point calls. */
export function evaluateWithExemptions(snapshot: VmSnapshot, edition: ResolvedEdition, context: ExemptionContext): Evaluation {
  return applyExemptions(evaluate(snapshot, edition), snapshot.exemptTag, context);
}
