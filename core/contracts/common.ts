import { z } from 'zod';

/** Pieces several published documents share; each schema file in docs/schemas/ inlines what it uses. */
export const severity = z
  .enum(['error', 'warning', 'info'])
  .describe('error: backup or restore will not work as configured; warning: it works with a limit; info: worth knowing');
export const citation = z.strictObject({ section: z.string(), row: z.string() }).describe('The Azure VM backup support matrix row a rule comes from');
export const restoreMethod = z.strictObject({
  status: z.enum(['available', 'limited', 'unavailable', 'unknown', 'notApplicable']),
  reasons: z.array(z.string()),
});
export const restoreReadiness = z.strictObject({
  createVm: restoreMethod,
  restoreDisks: restoreMethod,
  replaceDisks: restoreMethod,
  fileRecovery: restoreMethod,
  crossRegionRestore: restoreMethod.optional(),
  crossSubscriptionRestore: restoreMethod.optional(),
  crossZonalRestore: restoreMethod.optional(),
});
export const evidence = z.record(z.string(), z.unknown()).describe('The facts the rule read (field names vary by rule)');

/** The exemption a finding is under (core/exemptions): reports, the API, stored rows and alerts carry this shape. */
export const exemptionRef = z
  .strictObject({
    id: z.string(),
    category: z.enum(['waiver', 'mitigated']),
    reason: z.string(),
    expiresOn: z.string().nullable().describe('ISO 8601; null: no expiry'),
  })
  .describe('The exemption that covers (or, on a reopening, covered) the finding');
