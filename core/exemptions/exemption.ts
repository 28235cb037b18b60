import { z } from 'zod';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import type { ExemptionRef } from '../matrix/types.js';

/**
 * An exemption: a finding a team has decided to accept (a waiver) or covers another way (mitigated). Data, not code:
 * kept in the findings store (`ix.exemptions`), or in a file for `check --exemptions`. Applied after evaluation, in
 * one place (applyExemptions.ts), by every entry point.
 */

/** What a scope may name: a subscription, a resource group, or a VM. Anything else is refused, not guessed at. */
const SCOPE = /^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+(\/providers\/microsoft\.compute\/virtualmachines\/[^/]+)?)?$/i;

export type ScopeKind = 'subscription' | 'resourceGroup' | 'vm';

export function scopeKindOf(scope: string): ScopeKind {
  const segments = scope.split('/').filter(Boolean).length;
  return segments === 2 ? 'subscription' : segments === 4 ? 'resourceGroup' : 'vm';
}

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), 'must be an ISO 8601 date or time');

export const exemptionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit'),
    scope: z
      .string()
      .transform((s) => s.replace(/\/+$/, ''))
      .refine((s) => SCOPE.test(s), 'must be a subscription, resource group or VM resource id'),
    rules: z.array(z.string()).min(1, 'must name at least one rule id, or ["*"]'),
    category: z.enum(['waiver', 'mitigated']),
    reason: z.string().trim().min(1, 'is required'),
    expiresOn: isoInstant.nullish().transform((v) => v ?? null),
    createdBy: z.string().default(''),
    createdAt: z.string().default(''),
  })
  .superRefine((e, ctx) => {
    if (e.rules.includes('*') && e.rules.length > 1) ctx.addIssue({ code: 'custom', path: ['rules'], message: '"*" stands alone' });
    for (const rule of e.rules) {
      if (rule !== '*' && !RULES_BY_ID.has(rule)) ctx.addIssue({ code: 'custom', path: ['rules'], message: `unknown rule id "${rule}"` });
    }
  });

export type Exemption = z.infer<typeof exemptionSchema>;

/** The file `check --exemptions` reads. Ids must be unique: two entries with one id would make "which one" ambiguous. */
export const exemptionsFile = z.object({ exemptions: z.array(exemptionSchema) }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  for (const [i, e] of file.exemptions.entries()) {
    if (seen.has(e.id.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['exemptions', i, 'id'], message: `duplicate id "${e.id}"` });
    seen.add(e.id.toLowerCase());
  }
});

/** A clear one-line error per problem, naming where it is ("exemptions[0].rules: unknown rule id ..."). */
export function exemptionErrors(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) =>
      `${
        issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
          .join('')
          .replace(/^\./, '') || '(root)'
      }: ${issue.message}`,
  );
}

/** An exemption in force at `now`: no expiry, or an expiry still ahead. */
export function isActive(e: Pick<Exemption, 'expiresOn'>, now: string): boolean {
  return e.expiresOn === null || Date.parse(e.expiresOn) > Date.parse(now);
}

export function refOf(e: Exemption): ExemptionRef {
  return { id: e.id, category: e.category, reason: e.reason, expiresOn: e.expiresOn };
}
