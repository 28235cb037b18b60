import type { RuleDefinition } from '../types.js';
import { noVmModel } from './placement.js';
import { fail, listOf, notApplicable, pass, unknown } from './result.js';
import { unknownDiskResources } from './storage.js';

/*
 * Facts that break or change a restore rather than the backup, and that live beyond the VM model: the Marketplace
 * image's deprecation, Azure Monitor diagnostic settings, the disks' performance plus flag.
 */

export const deprecatedImage: RuleDefinition = {
  id: 'compute.deprecated-image',
  title: 'Deprecated Marketplace plan',
  check(s) {
    const { image } = s;
    if (image.kind !== 'marketplace-plan') return notApplicable('Not a Marketplace image with a purchase plan.');
    const { deprecation } = image;
    const which = `${image.publisher}/${image.offer}/${image.sku}/${image.version ?? '?'}`;
    if (!deprecation.known) {
      return unknown(
        'Whether the Marketplace image version is deprecated is known only from the image version, which is not in the data (az vm image show --urn publisher:offer:sku:version).',
        [`Marketplace image version ${which}`],
      );
    }
    const state = deprecation.state?.toLowerCase();
    const evidence = { image: which, plan: image.plan, imageState: deprecation.state, scheduledDeprecationTime: deprecation.scheduledTime };
    if (state === 'deprecated')
      return fail(
        `Image ${which} (plan ${image.plan}) is deprecated: backups still run, but a "create new VM" restore fails; restore the disks or replace the disks of the existing VM.`,
        evidence,
      );
    if (state === 'scheduledfordeprecation') {
      return fail(
        `Image ${which} (plan ${image.plan}) is scheduled for deprecation${deprecation.scheduledTime ? ` on ${deprecation.scheduledTime}` : ''}: from then on a "create new VM" restore fails.`,
        evidence,
        'warning',
      );
    }
    return pass(`Image ${which} is ${deprecation.state}.`, evidence);
  },
};

export const diagnosticSettings: RuleDefinition = {
  id: 'compute.diagnostic-settings',
  title: 'VM with diagnostic settings',
  check(s) {
    const { known, ids, notRead } = s.diagnosticSettings;
    if (notRead && ids.length === 0) return notApplicable(`Not checked: ${notRead}.`);
    if (ids.length > 0) {
      return fail(
        `${s.name} has diagnostic setting ${listOf(ids.map((id) => id.split('/').pop() ?? id))}: a "create new VM" restore of a VM with diagnostic settings fails; restore the disks instead, or remove the settings before restoring.`,
        { diagnosticSettings: ids },
      );
    }
    if (!known)
      return unknown('The diagnostic settings of the VM are not in the data (az monitor diagnostic-settings list --resource <vm id>).', [
        'Microsoft.Insights/diagnosticSettings of the VM',
      ]);
    return pass('No diagnostic settings on the VM.');
  },
};

export const performancePlus: RuleDefinition = {
  id: 'storage.performance-plus',
  title: 'Performance plus disks',
  check(s) {
    const missing = noVmModel(s, 'storageProfile');
    if (missing) return missing;
    const plus = s.disks.filter((d) => d.performancePlus === true);
    if (plus.length > 0) {
      return fail(
        `${listOf(plus.map((d) => d.name))} ${plus.length === 1 ? 'has' : 'have'} performance plus: a restore from the snapshot tier keeps it, a restore from the vault tier restores normal disks; re-create them with performance plus if you need it.`,
        {
          disks: plus.map((d) => d.name),
        },
      );
    }
    return (
      unknownDiskResources(
        s.disks.filter((d) => d.performancePlus === null),
        'performance plus flag (creationData.performancePlus)',
      ) ?? pass('No performance plus disk.')
    );
  },
};

export const restoreConfigRules = [deprecatedImage, diagnosticSettings, performancePlus];
