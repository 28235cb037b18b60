import type { Evaluation } from '../../core/matrix/evaluate.js';
import { FindingsStore } from '../../core/store/index.js';
import { freshTableName } from '../helpers/azurite.js';
import { cleanInventory, RG, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';

/** Simulated time: seconds after 2026-11-26T10:00:00Z. Delivery runs get it as `now`; nothing sleeps. */
export const T0 = Date.parse('2026-11-26T10:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000);

export const WEBHOOK_SECRET = 'test-secret-0123456789abcdef';

/** compute.min-size (error: a blocking finding) and policy.daylight-saving (info). */
export function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return doc;
}

export function evaluationOf(doc: Json, vmNumber?: number): Evaluation {
  const evaluation = evaluateDocument(doc, '2026-03')[0]!;
  if (vmNumber === undefined) return evaluation;
  // Another VM of the same shape: enough for a store that keys on the VM id.
  const name = `vm-fleet-${String(vmNumber).padStart(2, '0')}`;
  return { ...evaluation, vmId: `${RG}/providers/Microsoft.Compute/virtualMachines/${name}`, vmName: name };
}

export function newStore(connectionString: string, table = freshTableName()): FindingsStore {
  return FindingsStore.connect({ connectionString }, table);
}

/** Stores an evaluation as the functions do (which commits the alert intent with it). */
export function storeEvaluation(s: FindingsStore, evaluation: Evaluation, seconds: number) {
  const time = at(seconds).toISOString();
  return s.applyEvaluation(evaluation, { location: 'westeurope', observedAt: time, trigger: { kind: 'event', id: `e-${seconds}` }, now: time });
}

export function teamsDestination(name: string, url: string, extra: Record<string, unknown> = {}) {
  return { name, type: 'teams', url, ...extra };
}

export function webhookDestination(name: string, url: string, extra: Record<string, unknown> = {}) {
  return { name, type: 'webhook', url, secret: WEBHOOK_SECRET, ...extra };
}
