import type { Json } from './cleanVm.js';

/**
 * Switches the clean VM's policy to agentless crash-consistent backup, as the portal writes it: an Enhanced (V2)
 * policy with `snapshotConsistencyType: OnlyCrashConsistent`.
 */
export function backedUpAgentless(doc: Json): Json {
  Object.assign(doc.policies[0].properties, {
    policyType: 'V2',
    snapshotConsistencyType: 'OnlyCrashConsistent',
    schedulePolicy: {
      schedulePolicyType: 'SimpleSchedulePolicyV2',
      scheduleRunFrequency: 'Daily',
      dailySchedule: { scheduleRunTimes: ['2023-01-01T02:00:00Z'] },
    },
  });
  return doc;
}
