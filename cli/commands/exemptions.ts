import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exemptionErrors, exemptionSchema } from '../../core/exemptions/exemption.js';
import type { ExemptionRecords } from '../../core/store/index.js';
import { EXIT_OK, UsageError, type CliIo } from '../io.js';
import { storeFromOptions, STORE_OPTIONS } from '../storeOption.js';

export const EXEMPTIONS_USAGE = `Usage: vm-backup-guard exemptions add|list|remove --store <store> [options]

Manages the exemptions kept in the findings store (docs/exemptions.md). They apply at each VM's next evaluation,
or within the sweep's maximum age.
  add --id <id> --scope <subscription|resource group|VM id> --rules <id,id|*> --category waiver|mitigated
      --reason <text> [--expires-on <ISO 8601>] [--by <who>]      or: add --file <exemption.json>
  list [--audit] [--format table|json]     the exemptions; --audit: who added and removed what, when
  remove --id <id> [--by <who>]
  --store <connection-string|https://<account>.table.core.windows.net>  (default: FINDINGS_STORAGE or
      FINDINGS_STORAGE__tableServiceUri); --auth azure-cli|default with a URL; --table <name>
  --by defaults to USER (or USERNAME): the audit trail records it.`;

export async function exemptionsCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      ...STORE_OPTIONS,
      id: { type: 'string' },
      scope: { type: 'string' },
      rules: { type: 'string' },
      category: { type: 'string' },
      reason: { type: 'string' },
      'expires-on': { type: 'string' },
      file: { type: 'string' },
      by: { type: 'string' },
      audit: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || action === '--help' || action === '-h') {
    io.stdout(`${EXEMPTIONS_USAGE}\n`);
    return EXIT_OK;
  }
  if (action !== 'add' && action !== 'list' && action !== 'remove') throw new UsageError('exemptions needs add, list or remove');
  const target = storeFromOptions(values, io.env, io.storeAccess);
  if (!target) throw new UsageError('exemptions needs --store or FINDINGS_STORAGE');
  const exemptions: ExemptionRecords = target.store;
  const by = values.by ?? io.env.USER ?? io.env.USERNAME ?? 'cli';
  const now = new Date().toISOString();

  if (action === 'list') {
    const json = values.format === 'json';
    if (values.format !== undefined && !json && values.format !== 'table') throw new UsageError(`--format must be table or json; got "${values.format}"`);
    const list = await exemptions.listExemptions();
    const audit = values.audit ? await exemptions.exemptionAudit() : undefined;
    if (json) io.stdout(`${JSON.stringify({ exemptions: list, ...(audit ? { audit } : {}) }, null, io.stdoutIsTty ? 2 : undefined)}\n`);
    else {
      const lines = list.map(
        (e) =>
          `${e.id}  ${e.category}  ${e.rules.join(',')}  ${e.scope}\n    ${e.reason}${e.expiresOn ? ` (until ${e.expiresOn})` : ''}; by ${e.createdBy} at ${e.createdAt}`,
      );
      const trail = (audit ?? []).map((a) => `${a.at}  ${a.action.padEnd(8)} ${a.id}  by ${a.by}`);
      io.stdout(`${[...lines, `${list.length} exemption${list.length === 1 ? '' : 's'}.`, ...(audit ? ['', 'Audit trail:', ...trail] : [])].join('\n')}\n`);
    }
    return EXIT_OK;
  }
  if (action === 'remove') {
    if (!values.id) throw new UsageError('exemptions remove needs --id');
    if (!(await exemptions.removeExemption(values.id, by, now))) throw new UsageError(`no exemption ${values.id} in table ${target.table}`);
    io.stdout(`removed exemption ${values.id}; its findings reopen at their VMs' next evaluation.\n`);
    return EXIT_OK;
  }
  const input = values.file
    ? await readJson(values.file)
    : {
        id: values.id,
        scope: values.scope,
        rules: values.rules?.split(',').map((r) => r.trim()),
        category: values.category,
        reason: values.reason,
        expiresOn: values['expires-on'],
      };
  const valid = exemptionSchema.safeParse(input);
  if (!valid.success) throw new UsageError(exemptionErrors(valid.error).join('; '));
  const { created } = await exemptions.putExemption(valid.data, by, now);
  io.stdout(`${created ? 'added' : 'replaced'} exemption ${valid.data.id}; it applies at each VM's next evaluation.\n`);
  return EXIT_OK;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
