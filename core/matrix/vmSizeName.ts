/**
 * An Azure VM size name read by Azure's naming convention: `Standard_<family><vCPUs>[-<constrained>]<features>[_<accelerator>][_v<version>]`,
 * e.g. `Standard_D4ads_v5` = family D, 4 vCPUs, features a (AMD), d (local disk), s (premium storage capable), version 5.
 * The agentless backup rows name sizes this way ("VM size that include "s" in their name", "Intel V6 and above",
 * "AMD V7 and above"), so the rules read the name, not a catalogue.
 */
export interface VmSizeName {
  /** Upper-case family letters: `D`, `DS` (older sizes put the premium-storage S in the family), `NC`, `DC`. */
  family: string;
  /** Lower-case additive features: `a` AMD, `p` Arm, `s` premium storage capable, `d` local disk, ... */
  features: string;
  /** The `_vN` suffix; 1 when the name has none. */
  version: number;
}

// Letters before the vCPU count are the family, letters after it the features: that holds whatever the case
// (ARM accepts `standard_d2s_v3`).
const SIZE_NAME = /^(?:standard|basic)_([a-z]+)\d+(?:-\d+)?([a-z]*)((?:_[a-z0-9]+)*)$/i;

/** null when the name does not follow the convention (a typo, a future scheme): the rules then say `unknown`. */
export function parseVmSizeName(name: string): VmSizeName | null {
  const m = SIZE_NAME.exec(name.trim());
  if (!m) return null;
  const version = /_v(\d+)(?=_|$)/i.exec(m[3] ?? '');
  return { family: m[1]!.toUpperCase(), features: m[2]!.toLowerCase(), version: version ? Number(version[1]) : 1 };
}

/** "VM sizes that are premium storage capable (VM size that include "s" in their name) such as DSv2". */
export function isPremiumStorageCapable(size: VmSizeName): boolean {
  return size.features.includes('s') || size.family.endsWith('S');
}

/** Intel, AMD or Arm, as the name's features say: `a` is AMD, `p` is Arm, neither is Intel. */
export function processorOf(size: VmSizeName): 'intel' | 'amd' | 'arm' {
  if (size.features.includes('p')) return 'arm';
  return size.features.includes('a') ? 'amd' : 'intel';
}
