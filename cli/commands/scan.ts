import { parseArgs } from 'node:util';
import type { TokenCredential } from '@azure/core-auth';
import type { ArmAccess } from '../../core/inventory/arm/armAccess.js';
import { armClients } from '../../core/inventory/arm/armClients.js';
import { LiveSizeCatalogue } from '../../core/inventory/arm/liveSizeCatalogue.js';
import { skuListerFor } from '../../core/inventory/arm/skuLister.js';
import { bundledSizeCatalogue } from '../../core/inventory/sizeCatalogue.js';
import { readAndAssess, type LiveAssessment } from '../../core/assessment/readAndAssess.js';
import { forEachLimited } from '../../core/platform/concurrency.js';
import { vmIdFrom } from '../../core/armModel/vmId.js';
import { redactSecrets } from '../../core/platform/safeErrorText.js';
import { cliExemptions } from '../exemptionsOption.js';
import { storeEvaluations } from '../../core/pipeline/storeEvaluations.js';
import { escapeControl } from '../format/escapeControl.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_SERVICE, UsageError, type CliIo } from '../io.js';
import { editionFromOptions } from '../matrixOption.js';
import { EVALUATION_OPTIONS, reportChoices, writeReport } from '../writeReport.js';
import { storeFromOptions } from '../storeOption.js';

export const SCAN_USAGE = `Usage: vm-backup-guard scan --subscription <id> --auth azure-cli|default [options]

Reads every VM of a subscription live from ARM (with its disks, NICs, locks and backup protection) and checks it.
  --auth azure-cli          the account of \`az login\`; default: DefaultAzureCredential (environment, managed identity, ...)
  --arm-endpoint <url>      ARM of a sovereign cloud (default: https://management.azure.com)
  --matrix, --format, --output, --fail-on, --min-severity, --docs-base-url, --compact, --store, --table: as for check
  --concurrency N           VMs read at once (default 8; ARM allows about 250 reads per burst per subscription)`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function credentialFor(auth: string): Promise<TokenCredential> {
  const identity = await import('@azure/identity');
  return auth === 'azure-cli' ? new identity.AzureCliCredential() : new identity.DefaultAzureCredential();
}

/** A one-line progress bar on stderr, redrawn in place on a terminal; elsewhere only the final line. */
function progress(io: CliIo, total: number) {
  const tty = io.stderrIsTty === true;
  return (done: number) => {
    if (!tty && done < total) return;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    io.stderr(`${tty ? '\r' : ''}reading VMs [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

/** ARM's base URL: https, a host, no path, query or credentials (the token is sent there). */
function armEndpointOption(value: string | undefined): string {
  if (value === undefined) return 'https://management.azure.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('--arm-endpoint must be an https URL such as https://management.usgovcloudapi.net; it is not a URL');
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || url.pathname.replace(/\/+$/, '') !== '') {
    throw new UsageError('--arm-endpoint must be an https URL with a host only, such as https://management.usgovcloudapi.net');
  }
  return url.origin;
}

export async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...EVALUATION_OPTIONS,
      subscription: { type: 'string' },
      auth: { type: 'string' },
      'arm-endpoint': { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(`${SCAN_USAGE}\n`);
    return EXIT_OK;
  }
  const subscription = values.subscription;
  if (!subscription || !GUID.test(subscription)) throw new UsageError('--subscription must be a subscription id (a GUID)');
  const auth = values.auth ?? (io.azure ? 'test' : undefined);
  if (auth !== 'azure-cli' && auth !== 'default' && !io.azure) throw new UsageError('--auth must be azure-cli or default (choose the credential explicitly)');
  const choices = reportChoices(values);
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError('--concurrency must be a whole number from 1 to 32');
  const edition = editionFromOptions(values.matrix, io.env);
  const target = storeFromOptions(values, io.env, io.storeAccess ?? (io.azure ? { credential: io.azure.credential } : undefined));

  const endpoint = armEndpointOption(values['arm-endpoint']);
  const access: ArmAccess = io.azure ?? { credential: await credentialFor(auth!), endpoint };
  const compute = await armClients(access, subscription).compute();
  const vmIds: string[] = [];
  for await (const vm of compute.virtualMachines.listAll()) if (vm.id) vmIds.push(vm.id);

  const sizes = new LiveSizeCatalogue(skuListerFor(access), bundledSizeCatalogue());
  const exemptions = await cliExemptions(values.exemptions, target?.store ?? null, new Date().toISOString());
  const results: { vmId: string; assessment: LiveAssessment; observedAt: string }[] = [];
  const failures: string[] = [];
  const tick = progress(io, vmIds.length);
  const services = { arm: access, sizes, edition, now: () => new Date() };
  let done = 0;
  tick(0);
  await forEachLimited(vmIds, concurrency, async (vmId) => {
    try {
      const assessment = await readAndAssess(services, vmIdFrom(vmId), async () => exemptions);
      // Deleted between the list and the read: nothing to check, not a failure.
      if (assessment === null) io.stderr(`warning: ${vmId} was deleted while the scan ran\n`);
      else results.push({ vmId, assessment, observedAt: assessment.observedAt });
    } catch (error) {
      failures.push(`${vmId}: ${redactSecrets((error as Error).message)}`);
    }
    tick(++done);
  });
  for (const failure of failures) io.stderr(`error: could not read ${failure}\n`);
  // Input order, whatever order the reads finished in.
  results.sort((a, b) => vmIds.indexOf(a.vmId) - vmIds.indexOf(b.vmId));

  if (target) {
    const counts = await storeEvaluations(target.store, results, { kind: 'manual' }, new Date().toISOString());
    for (const u of counts.unstorable) {
      io.stderr(`error: VM ${escapeControl(u.vmName)} could not be stored: ${u.reason}\n`);
      failures.push(`${u.vmName}: could not be stored: ${u.reason}`);
    }
    io.stderr(
      `stored ${counts.vms} evaluations in table ${target.table}: ${counts.opened} findings opened, ${counts.resolved} resolved, ${counts.changed} changed\n`,
    );
  }
  const inputErrors = failures.map((f) => ({ file: `subscription ${subscription}`, path: '$', message: f }));
  const failed = writeReport(
    edition.id,
    results.map((r) => r.assessment.evaluation),
    choices,
    { inputErrors, warnings: [] },
    io,
  );
  if (failures.length > 0) return EXIT_SERVICE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
