import type { NicFacts, VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { RuleDefinition, RuleResult } from '../types.js';
import { fail, listOf, pass, unknown } from './result.js';

/** A NIC's name for messages; inline definitions (`inline:{name}`) by their definition name. */
const nicName = (nic: NicFacts) => (nic.inline ? nic.id.slice('inline:'.length) : nic.id.slice(nic.id.lastIndexOf('/') + 1));

/** NICs the VM references but the data lacks: their ip configurations are unknown. */
function unknownNics(s: VmSnapshot): RuleResult | null {
  if (s.nics.length === 0) return unknown(`${s.name} lists no network interface (networkProfile missing).`, ['networkProfile.networkInterfaces']);
  const missing = s.nics.filter((n) => !n.known);
  if (missing.length === 0) return null;
  return unknown(
    `Network interface ${listOf(missing.map(nicName))} is not in the data.`,
    missing.map((n) => `network interface ${n.id}`),
  );
}

export const reservedIp: RuleDefinition = {
  id: 'network.reserved-ip',
  title: 'Reserved (static) public IP without an endpoint',
  check(s) {
    const pendingIps: string[] = [];
    for (const nic of s.nics) {
      const hasEndpoint = nic.ipConfigurations.some((c) => c.loadBalancerBackendPools > 0 || c.inboundNatRules > 0);
      if (hasEndpoint) continue;
      for (const config of nic.ipConfigurations) {
        if (!config.publicIp) continue;
        if (config.publicIp.allocation === 'static') {
          return fail(
            `${nicName(nic)}/${config.name} uses a static (reserved) public IP and the NIC has no load-balancer pool or inbound NAT rule: not supported.`,
            {
              networkInterface: nic.id,
              ipConfiguration: config.name,
              publicIp: config.publicIp.id,
            },
          );
        }
        if (config.publicIp.allocation === null) pendingIps.push(config.publicIp.id ?? `${nicName(nic)}/${config.name}`);
      }
    }
    const nics = unknownNics(s);
    if (nics) return nics;
    if (pendingIps.length > 0)
      return unknown(
        `The allocation method of public IP ${listOf(pendingIps)} is not in the data.`,
        pendingIps.map((id) => `public IP address ${id}`),
      );
    return pass('No static public IP without an endpoint.');
  },
};

export const publicIp: RuleDefinition = {
  id: 'network.public-ip',
  title: 'Public IP attached',
  check(s) {
    const withIp = s.nics.flatMap((nic) => nic.ipConfigurations.filter((c) => c.publicIp).map((c) => `${nicName(nic)}/${c.name}`));
    if (withIp.length > 0) {
      return fail(
        `${listOf(withIp)} ${withIp.length === 1 ? 'has' : 'have'} a public IP: a restored VM gets none; attach an existing public IP or create one after the restore.`,
        { ipConfigurations: withIp },
      );
    }
    return unknownNics(s) ?? pass('No public IP attached.');
  },
};

export const specialConfig: RuleDefinition = {
  id: 'network.special-config',
  title: 'Special network configuration',
  check(s) {
    const reasons: string[] = [];
    if (s.nics.length > 1) reasons.push(`${s.nics.length} NICs`);
    const balanced = s.nics.filter((n) => n.ipConfigurations.some((c) => c.loadBalancerBackendPools > 0 || c.inboundNatRules > 0));
    if (balanced.length > 0) reasons.push(`a load-balancer pool or inbound NAT rule on ${listOf(balanced.map(nicName))}`);
    const publicConfigs = s.nics.reduce((n, nic) => n + nic.ipConfigurations.filter((c) => c.publicIp).length, 0);
    if (publicConfigs > 1) reasons.push(`${publicConfigs} ip configurations with public IPs`);
    if (reasons.length > 0) {
      return fail(
        `${s.name} has a special network configuration (${reasons.join('; ')}): restore the disks and recreate the VM from the template; file recovery not to the same VM.`,
        { reasons },
      );
    }
    return unknownNics(s) ?? pass('One NIC, no load balancer, at most one public IP.');
  },
};

export const networkRules = [reservedIp, publicIp, specialConfig];
