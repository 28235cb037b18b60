import type { RuleDefinition } from '../types.js';
import { fail, pass, unknown } from './result.js';

export const minSize: RuleDefinition = {
  id: 'compute.min-size',
  title: 'VM size of at least 2 vCPUs and 1 GB memory',
  check(s, e) {
    const { name, vCpus, memoryGiB, vCpusAvailable } = s.size;
    const { minVcpus, minMemoryGiB } = e.params;
    const evidence = { vmSize: name, vCpus, memoryGiB, vCPUsAvailable: vCpusAvailable };
    if (vCpus !== null && vCpus < minVcpus) {
      const source =
        vCpusAvailable !== null ? `hardwareProfile.vmSizeProperties.vCPUsAvailable is ${vCpus}` : `${name} has ${vCpus} vCPU${vCpus === 1 ? '' : 's'}`;
      return fail(`${source}: backup needs at least ${minVcpus} vCPUs.`, evidence);
    }
    if (name === null) return unknown(`${s.name} has no hardwareProfile.vmSize.`, ['hardwareProfile.vmSize']);
    if (memoryGiB !== null && memoryGiB < minMemoryGiB)
      return fail(`${name} has ${memoryGiB} GiB of memory: backup needs at least ${minMemoryGiB} GB.`, evidence);
    if (vCpus === null || memoryGiB === null) return unknown(`Size ${name} is not in the size catalogue.`, [`vCPUs and memory of ${name}`]);
    return pass(`${name}: ${vCpus} vCPUs, ${memoryGiB} GiB.`, evidence);
  },
};

export const availabilityZone: RuleDefinition = {
  id: 'compute.availability-zone',
  title: 'VM in an availability zone',
  check(s) {
    if (s.zones.length > 0) return fail(`${s.name} is deployed in zone ${s.zones.join(', ')}: backup of zonal VMs is not supported.`, { zones: s.zones });
    return pass('Not a zonal VM.');
  },
};

export const scaleSet: RuleDefinition = {
  id: 'compute.scale-set',
  title: 'VM in a scale set',
  check(s, e) {
    const { uniformInstance, memberOf } = s.scaleSet;
    if (uniformInstance) return fail(`${s.name} is a Uniform scale set instance: backup is not supported.`, { scaleSetInstance: s.id });
    if (memberOf) {
      if (e.params.unsupportedScaleSetMembers === 'any')
        return fail(`${s.name} belongs to scale set ${memberOf}: backup of scale set VMs is not supported.`, { scaleSet: memberOf });
      return pass(`${s.name} is a Flexible orchestration member of ${memberOf}: supported.`, { scaleSet: memberOf });
    }
    return pass('Not in a scale set.');
  },
};

export const availabilitySet: RuleDefinition = {
  id: 'compute.availability-set',
  title: 'VM in an availability set',
  check(s) {
    if (s.availabilitySetId) {
      const how = s.disks.some((d) => !d.managed && d.vhdUri)
        ? 'restore the disks, then create the VM in the set'
        : 'restore the disks and deploy with the template (availability set option), or replace the disks';
      return fail(`${s.name} is in an availability set: "create a new VM" restore cannot place it in the set; ${how}.`, {
        availabilitySet: s.availabilitySetId,
      });
    }
    return pass('Not in an availability set.');
  },
};

export const imageSource: RuleDefinition = {
  id: 'compute.image-source',
  title: 'Marketplace plan or custom image',
  check(s) {
    const image = s.image;
    const note = 'supported only while the OS is supported; file recovery only to a compatible OS.';
    if (image.kind === 'marketplace-plan') return fail(`${s.name} uses Marketplace plan ${image.plan}: ${note}`, { plan: image.plan });
    if (image.kind === 'custom' || image.kind === 'gallery') return fail(`${s.name} is built from a ${image.kind} image: ${note}`, { image: image.id });
    if (image.kind === 'platform') return pass(`Platform image ${image.publisher}/${image.offer}/${image.sku}.`);
    return unknown(`${s.name} has no imageReference (created from an attached OS disk?).`, ['storageProfile.imageReference']);
  },
};

export const computeRules = [minSize, availabilityZone, scaleSet, availabilitySet, imageSource];
