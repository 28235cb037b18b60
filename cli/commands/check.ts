import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { MAX_CLOCK_SKEW_MS } from '../../core/store/clockSkew.js';
import { parseArgs } from 'node:util';
import { formatInputError } from '../../core/inventory/inputError.js';
import { mergeInventories, type SourcedInventory } from '../../core/inventory/mergeInventories.js';
import { bundledSizeCatalogue } from '../../core/inventory/sizeCatalogue.js';
import { iterateSnapshots } from '../../core/snapshot/snapshotsOf.js';
import { evaluateWithExemptions } from '../../core/exemptions/applyExemptions.js';
import type { Evaluation } from '../../core/matrix/evaluate.js';
import { cliExemptions } from '../exemptionsOption.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_SERVICE, EXIT_USAGE, UsageError, type CliIo } from '../io.js';
import { loadInputs } from '../loadInputs.js';
import { escapeControl } from '../format/escapeControl.js';
import { editionFromOptions } from '../matrixOption.js';
import { EVALUATION_OPTIONS, REPORT_OPTIONS_USAGE, reportChoices, writeReport } from '../writeReport.js';

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
  --store <connection-string|https://<account>.table.core.windows.net>   also store the evaluations (findings
                            lifecycle and history) in Table Storage (default: FINDINGS_STORAGE, or
                            FINDINGS_STORAGE__tableServiceUri); --table <name> (default: FINDINGS_TABLE);
                            --auth azure-cli|default with a URL (Entra ID); the store's exemptions apply too
  --observed-at <time>      with --store: when the files' data was read from Azure (default: each file's
                            modification time); a fresher evaluation already stored is kept
  --force                   with --store: store the files' data as observed now, over fresher evaluations

Exit codes: 0 nothing at or above --fail-on; 1 something is; 2 bad input or usage; 3 with --store, some VM
could not be stored (named on stderr; the others were).`;

export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...EVALUATION_OPTIONS, 'observed-at': { type: 'string' }, force: { type: 'boolean' } },
  });
  if (values.help) {
    io.stdout(`${CHECK_USAGE}\n`);
    return EXIT_OK;
  }
  const choices = reportChoices(values);
  const edition = editionFromOptions(values.matrix, io.env);
  if (positionals.length === 0) throw new UsageError('check needs at least one input file or directory');

  const loaded = await loadInputs(positionals);
  // Messages quote the input (names, ids, file names): its control characters are shown escaped.
  for (const error of loaded.errors) io.stderr(`error: ${escapeControl(formatInputError(error))}\n`);
  for (const warning of loaded.warnings) io.stderr(`warning: ${escapeControl(warning)}\n`);
  const merged = mergeInventories(loaded.sources);
  for (const warning of merged.warnings) io.stderr(`warning: ${escapeControl(warning)}\n`);

  const sizes = bundledSizeCatalogue();
  // The store (and the Azure SDK behind it) is loaded only when asked for.
  const named = values.store ?? io.env.FINDINGS_STORAGE ?? io.env.FINDINGS_STORAGE__tableServiceUri;
  const target = named !== undefined ? (await import('../storeOption.js')).storeFromOptions(values, io.env, io.storeAccess) : null;
  const now = new Date().toISOString();
  const observedAtOf = target ? await observedAtFor(values['observed-at'], values.force === true, loaded.sources, now) : () => now;
  const exemptions = await cliExemptions(values.exemptions, target?.store ?? null, now);
  let evaluations: Iterable<Evaluation> = (function* () {
    for (const snapshot of iterateSnapshots(merged.inventory, sizes)) yield evaluateWithExemptions(snapshot, edition, exemptions);
  })();
  let unstorable = 0;
  if (target) {
    // Stored through the same assess → storeAssessment path as the functions, before the report is printed.
    const [{ assess }, { storeEvaluations }] = await Promise.all([
      import('../../core/assessment/assess.js'),
      import('../../core/pipeline/storeEvaluations.js'),
    ]);
    const items = [...iterateSnapshots(merged.inventory, sizes)].map((snapshot) => ({
      assessment: assess(snapshot, edition, exemptions),
      observedAt: observedAtOf(snapshot.id),
    }));
    const counts = await storeEvaluations(target.store, items, { kind: 'cli' }, now);
    for (const u of counts.unstorable) io.stderr(`error: VM ${escapeControl(u.vmName)} could not be stored: ${u.reason}\n`);
    unstorable = counts.unstorable.length;
    if (counts.stale > 0)
      io.stderr(
        `${counts.stale} VM${counts.stale === 1 ? '' : 's'} not stored: the store holds a fresher evaluation (the file's data is older; --force stores it anyway)\n`,
      );
    io.stderr(
      `stored ${counts.vms} evaluations in table ${target.table}: ${counts.opened} findings opened, ${counts.resolved} resolved, ${counts.changed} changed; ${counts.unchanged} VMs with nothing new\n`,
    );
    evaluations = items.map((i) => i.assessment.evaluation);
  }
  const failed = writeReport(
    edition.id,
    evaluations,
    choices,
    { inputErrors: loaded.errors, warnings: [...loaded.warnings, ...merged.warnings], sourceOf: sourcesOf(loaded.sources) },
    io,
  );

  if (loaded.errors.length > 0) return EXIT_USAGE;
  // The others were stored and printed; the store's refusal of some is a service outcome, as in scan.
  if (unstorable > 0) return EXIT_SERVICE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

/** VM id → the first file that has it (the one it is evaluated from, as mergeInventories decides), as a relative path. */
/**
 * When each VM's data was observed: --observed-at, else its file's modification time (when it was exported), so a
 * week-old export never overwrites a newer evaluation the functions stored. --force stamps it with the time of the
 * run instead, which makes it the newest. A time further than the skew bound in this machine's future is refused.
 */
async function observedAtFor(given: string | undefined, force: boolean, sources: readonly SourcedInventory[], now: string): Promise<(vmId: string) => string> {
  if (force) return () => now;
  if (given !== undefined) {
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(given) ? Date.parse(given) : Number.NaN;
    if (Number.isNaN(at))
      throw new UsageError(`--observed-at must be an ISO 8601 time with a zone, such as 2026-11-26T10:00:00Z; got "${escapeControl(given)}"`);
    if (at - Date.parse(now) > MAX_CLOCK_SKEW_MS) throw new UsageError('--observed-at is in the future');
    const iso = new Date(at).toISOString();
    return () => iso;
  }
  const byVm = new Map<string, string>();
  for (const { file, inventory } of sources) {
    const modified = new Date(Math.min((await stat(file)).mtimeMs, Date.parse(now))).toISOString();
    for (const vm of inventory.virtualMachines) {
      const key = String((vm as { id?: unknown }).id ?? '').toLowerCase();
      if (key && !byVm.has(key)) byVm.set(key, modified);
    }
  }
  return (vmId) => byVm.get(vmId.toLowerCase()) ?? now;
}

function sourcesOf(sources: readonly SourcedInventory[]): (vmId: string) => string | undefined {
  // One file (the usual run): every VM evaluated comes from it; only a VM without an id was never keyed.
  if (sources.length === 1) {
    const shown = displayPath(sources[0]!.file);
    return (vmId) => (vmId === '' ? undefined : shown);
  }
  const files = new Map<string, string>();
  for (const { file, inventory } of sources) {
    const shown = displayPath(file);
    for (const vm of inventory.virtualMachines) {
      const key = String((vm as { id?: unknown }).id ?? '').toLowerCase();
      if (key && !files.has(key)) files.set(key, shown);
    }
  }
  return (vmId) => files.get(vmId.toLowerCase());
}

/** The file as the report names it: relative to the working directory, with forward slashes. */
function displayPath(file: string): string {
  return relative(process.cwd(), file).split(sep).join('/');
}
