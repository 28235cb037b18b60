import type { CheckReport, ReportFinding } from '../checkReport.js';

/** Info findings (info failures and unknowns) with the same rule and sentence on several VMs: one table line each. */
export interface InfoGroup {
  finding: ReportFinding;
  vmNames: string[];
}

const keyOf = (f: ReportFinding) => `${f.ruleId}\u0000${f.message}`;

/**
 * The table repeats nothing a fleet has in common: an info sentence shown on two or more VMs is printed once, with a
 * count and the VMs it concerns. Errors and warnings stay with their VM (each needs its own fix); JSON keeps every
 * finding per VM. `isGrouped` tells the per-VM listing which findings to leave out.
 */
export function groupInfoFindings(report: CheckReport): { groups: InfoGroup[]; isGrouped(f: ReportFinding): boolean } {
  const byKey = new Map<string, InfoGroup>();
  for (const vm of report.vms) {
    for (const f of vm.findings) {
      if (f.severity !== 'info') continue;
      const key = keyOf(f);
      const group = byKey.get(key);
      if (group) group.vmNames.push(vm.name);
      else byKey.set(key, { finding: f, vmNames: [vm.name] });
    }
  }
  const groups = [...byKey.values()].filter((g) => g.vmNames.length > 1);
  const grouped = new Set(groups.map((g) => keyOf(g.finding)));
  return { groups, isGrouped: (f) => f.severity === 'info' && grouped.has(keyOf(f)) };
}

/** "on 12 VMs: vm-a, vm-b, vm-c and 9 more" */
export function vmCount(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return `on ${names.length} VMs: ${shown}${names.length > max ? ` and ${names.length - max} more` : ''}`;
}
