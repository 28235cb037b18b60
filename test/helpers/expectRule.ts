import { expect } from 'vitest';
import type { Outcome, Severity } from '../../core/matrix/types.js';
import type { Json } from './cleanVm.js';
import { outcomeOf } from './evaluateDocument.js';

/** Asserts the exact outcome (and, for fail/unknown, the exact reported severity) of one rule; returns its message. */
export function expectRule(document: Json, edition: string, ruleId: string, outcome: Outcome, severity?: Severity): string {
  const result = outcomeOf(document, edition, ruleId);
  const actual = { outcome: result.outcome, ...(severity ? { severity: result.severity } : {}) };
  expect(actual, `${ruleId} in ${edition}: ${result.message}`).toEqual({ outcome, ...(severity ? { severity } : {}) });
  return result.message;
}

export const vmOf = (document: Json): Json => document.virtualMachines[0];
export const propsOf = (document: Json): Json => document.virtualMachines[0].properties;
export const instanceViewOf = (document: Json): Json => document.virtualMachines[0].properties.instanceView;
