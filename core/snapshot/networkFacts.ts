import type { ArmVirtualMachine } from '../armModel/armSchemas.js';
import { propsOf } from '../armModel/armSchemas.js';
import { resourceById, type InventoryIndex } from './inventoryIndex.js';
import type { NicFacts } from './vmSnapshot.js';

type VmProps = ReturnType<typeof propsOf<ArmVirtualMachine>>;
type NetworkProfile = NonNullable<VmProps['networkProfile']>;

function allocationOf(method: string | null | undefined): 'static' | 'dynamic' | null {
  const m = method?.toLowerCase();
  return m === 'static' ? 'static' : m === 'dynamic' ? 'dynamic' : null;
}

type InlineDefinitions = NonNullable<NetworkProfile['networkInterfaceConfigurations']>;

/**
 * The VM's NICs: referenced NICs joined by id; inline NIC definitions (`networkInterfaceConfigurations`) only when
 * the VM references no NIC — ARM lists both for a VM created from definitions, and they are the same NICs. A Uniform
 * scale set instance references NICs that live under the scale set (rarely exported) and carries the scale set's
 * definitions of them in `networkProfileConfiguration`: when a referenced NIC is missing, those definitions decide.
 */
export function nicFactsOf(
  network: NetworkProfile | null | undefined,
  index: InventoryIndex,
  missing: string[],
  scaleSetDefinitions?: InlineDefinitions | null,
): NicFacts[] {
  const referencedMissing: string[] = [];
  const referenced = referencedNics(network, index, referencedMissing);
  if (referenced.some((n) => !n.known) && scaleSetDefinitions && scaleSetDefinitions.length > 0) return inlineNics(scaleSetDefinitions);
  missing.push(...referencedMissing);
  if (referenced.length > 0) return referenced;
  return inlineNics(network?.networkInterfaceConfigurations ?? scaleSetDefinitions ?? []);
}

function referencedNics(network: NetworkProfile | null | undefined, index: InventoryIndex, missing: string[]): NicFacts[] {
  const nics: NicFacts[] = [];
  for (const reference of network?.networkInterfaces ?? []) {
    if (!reference.id) continue;
    const nic = resourceById(index.networkInterfaces, reference.id);
    if (!nic) {
      missing.push(`network interface ${reference.id}`);
      nics.push({ id: reference.id, known: false, inline: false, ipConfigurations: [] });
      continue;
    }
    const ipConfigurations = (propsOf(nic).ipConfigurations ?? []).map((ipConfig, i) => {
      const c = propsOf(ipConfig);
      const publicIpId = c.publicIPAddress?.id ?? null;
      let publicIp: NicFacts['ipConfigurations'][number]['publicIp'] = null;
      if (publicIpId) {
        const address = resourceById(index.publicIpAddresses, publicIpId);
        if (!address) missing.push(`public IP address ${publicIpId}`);
        publicIp = { id: publicIpId, known: address !== undefined, allocation: address ? allocationOf(propsOf(address).publicIPAllocationMethod) : null };
      }
      return {
        name: ipConfig.name ?? `ipconfig${i + 1}`,
        publicIp,
        loadBalancerBackendPools: c.loadBalancerBackendAddressPools?.length ?? 0,
        inboundNatRules: c.loadBalancerInboundNatRules?.length ?? 0,
      };
    });
    nics.push({ id: nic.id, known: true, inline: false, ipConfigurations });
  }
  return nics;
}

function inlineNics(definitions: InlineDefinitions): NicFacts[] {
  const nics: NicFacts[] = [];
  for (const [n, definition] of definitions.entries()) {
    const name = definition.name ?? `nic-configuration-${n + 1}`;
    const ipConfigurations = (propsOf(definition).ipConfigurations ?? []).map((ipConfig, i) => {
      const c = propsOf(ipConfig);
      const publicConfig = c.publicIPAddressConfiguration ? propsOf(c.publicIPAddressConfiguration) : null;
      return {
        name: ipConfig.name ?? `ipconfig${i + 1}`,
        // An inline public IP configuration creates its address with the VM: known, though it has no id yet.
        publicIp: publicConfig ? { id: null, known: true, allocation: allocationOf(publicConfig.publicIPAllocationMethod) } : null,
        loadBalancerBackendPools: c.loadBalancerBackendAddressPools?.length ?? 0,
        inboundNatRules: c.loadBalancerInboundNatPools?.length ?? 0,
      };
    });
    nics.push({ id: `inline:${name}`, known: true, inline: true, ipConfigurations });
  }
  return nics;
}
