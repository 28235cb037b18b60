import { relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { formatInputError } from '../shared/inventory/inputError.js';
import { mergeInventories, type SourcedInventory } from '../shared/inventory/mergeInventories.js';
import { bundledSizeCatalogue } from '../shared/inventory/sizeCatalogue.js';
import { iterateSnapshots } from '../shared/inventory/snapshotsOf.js';
import { evaluate, type Evaluation } from '../shared/matrix/evaluate.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.js';
import { loadInputs } from './loadInputs.js';
import { editionFromOptions } from './matrixOption.js';
import { EVALUATION_OPTIONS, REPORT_OPTIONS_USAGE, reportChoices, writeReport } from './reportOutput.js';

export const CHECK_USAGE = `Usage: vm-backup-guard check <file|dir>... [options]

Checks VMs in ARM JSON files against the Azure VM backup support matrix (offline).
Each file: one resource or a list of them (az ... show / az ... list output, an ARM list response
{ "value": [...] }, a Resource Graph result from the REST API or \`az graph query\`), routed by type: VMs,
disks, NICs, public IPs, storage accounts, protected items, backup policies, vaults, locks, Marketplace
image versions, diagnostic settings. Or an inventory document { "virtualMachines": [...], "disks": [...], ... }.
A directory means the .json files in it. Files merge.

Options:
  --matrix <edition>        matrix edition (default: newest shipped; see \`vm-backup-guard editions\`)
${REPORT_OPTIONS_USAGE}
  --store <connection-string>          also store the evaluations (findings lifecycle and history) in Table
                            Storage (default: FINDINGS_STORAGE when set); --table <name> (default: FINDINGS_TABLE)

Exit codes: 0 nothing at or above --fail-on; 1 something is; 2 bad input or usage.`;

export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: EVALUATION_OPTIONS,
  });
  if (values.help) {
    io.stdout(`${CHECK_USAGE}\n`);
    return EXIT_OK;
  }
  const choices = reportChoices(values);
  const edition = editionFromOptions(values.matrix, io.env);
  if (positionals.length === 0) throw new UsageError('check needs at least one input file or directory');

  const loaded = await loadInputs(positionals);
  for (const error of loaded.errors) io.stderr(`error: ${formatInputError(error)}\n`);
  for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
  const merged = mergeInventories(loaded.sources);
  for (const warning of merged.warnings) io.stderr(`warning: ${warning}\n`);

  const sizes = bundledSizeCatalogue();
  // The store (and the Azure SDK behind it) is loaded only when asked for.
  const target = values.store !== undefined || io.env.FINDINGS_STORAGE !== undefined ? (await import('./storeOption.js')).storeFromOptions(values, io.env) : null;
  let evaluations: Iterable<Evaluation> = (function* () {
    for (const snapshot of iterateSnapshots(merged.inventory, sizes)) yield evaluate(snapshot, edition);
  })();
  if (target) {
    // Stored through the same applyEvaluation path as the functions, before the report is printed.
    const items = [...iterateSnapshots(merged.inventory, sizes)].map((snapshot) => ({ snapshot, evaluation: evaluate(snapshot, edition) }));
    const { storeEvaluations } = await import('../shared/pipeline/storeEvaluations.js');
    const counts = await storeEvaluations(target.store, items, { kind: 'cli' }, new Date().toISOString());
    io.stderr(`stored ${counts.vms} evaluations in table ${target.table}: ${counts.opened} findings opened, ${counts.resolved} resolved, ${counts.changed} changed; ${counts.unchanged} VMs with nothing new\n`);
    evaluations = items.map((i) => i.evaluation);
  }
  const failed = writeReport(edition.id, evaluations, choices, { inputErrors: loaded.errors, warnings: [...loaded.warnings, ...merged.warnings], sourceOf: sourcesOf(loaded.sources) }, io);

  if (loaded.errors.length > 0) return EXIT_USAGE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

/** VM id → the first file that has it (the one it is evaluated from, as mergeInventories decides), as a relative path. */
function sourcesOf(sources: readonly SourcedInventory[]): (vmId: string) => string | undefined {
  const files = new Map<string, string>();
  for (const { file, inventory } of sources) {
    for (const vm of inventory.virtualMachines) {
      const key = String((vm as { id?: unknown }).id ?? '').toLowerCase();
      if (key && !files.has(key)) files.set(key, relative(process.cwd(), file).split(sep).join('/'));
    }
  }
  return (vmId) => files.get(vmId.toLowerCase());
}
