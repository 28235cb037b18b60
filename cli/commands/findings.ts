import { parseArgs } from 'node:util';
import { describeQueryError, findingsQuery, InvalidContinuationTokenError, queryFindings, SkippedRows, type FindingView } from '../../core/store/index.js';
import { paletteFor } from '../format/colour.js';
import { EXIT_OK, UsageError, type CliIo } from '../io.js';
import { storeFromOptions, STORE_OPTIONS } from '../storeOption.js';
import { reportSkippedRows } from '../skippedRowsNote.js';

export const FINDINGS_USAGE = `Usage: vm-backup-guard findings [--store <connection-string>] [filters] [--format table|json|csv] [--limit N]

Queries the findings stored by \`check --store\`, \`scan --store\` or the functions.
  --store <connection-string>   the findings storage (default: FINDINGS_STORAGE); --table <name> (default: FINDINGS_TABLE)
  --store https://<account>.table.core.windows.net --auth azure-cli|default   the deployed store, read with Entra ID
                                (default: FINDINGS_STORAGE__tableServiceUri); needs Storage Table Data Reader
  --subscription <id> --resource-group <name> --vm <name or id> --rule <rule id>
  --severity error|warning|info --outcome fail|unknown --state open|exempted|resolved|all (default: open)
  --limit N                     stop after N findings (default: all)`;

const CSV_COLUMNS: (keyof FindingView)[] = [
  'vmName',
  'resourceGroup',
  'subscriptionId',
  'ruleId',
  'severity',
  'outcome',
  'state',
  'firstSeenAt',
  'lastSeenAt',
  'resolvedAt',
  'resolvedReason',
  'message',
  'vmId',
];

/** RFC 4180: quote every field, double the quotes inside. */
const csvField = (value: unknown) => `"${String(value ?? '').replace(/"/g, '""')}"`;

export async function findingsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...STORE_OPTIONS,
      subscription: { type: 'string' },
      'resource-group': { type: 'string' },
      vm: { type: 'string' },
      rule: { type: 'string' },
      severity: { type: 'string' },
      outcome: { type: 'string' },
      state: { type: 'string' },
      format: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${FINDINGS_USAGE}\n`);
    return EXIT_OK;
  }
  const format = values.format ?? 'table';
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be one of table, json, csv; got "${format}"`);
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  if (values.limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError(`--limit must be a whole number of at least 1; got "${values.limit}"`);
  const query = findingsQuery.safeParse({
    subscription: values.subscription,
    resourceGroup: values['resource-group'],
    vm: values.vm,
    rule: values.rule,
    severity: values.severity,
    outcome: values.outcome,
    state: values.state,
  });
  if (!query.success) throw new UsageError(describeQueryError(query.error, (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
  const target = storeFromOptions(values, io.env, io.storeAccess);
  if (!target) throw new UsageError('findings needs --store <connection-string> or FINDINGS_STORAGE');

  const items: FindingView[] = [];
  const skipped = new SkippedRows();
  let token: string | undefined;
  do {
    let page: Awaited<ReturnType<typeof queryFindings>>;
    try {
      page = await queryFindings(target.store, query.data, { pageSize: 1000, ...(token ? { continuationToken: token } : {}) }, skipped);
    } catch (error) {
      if (error instanceof InvalidContinuationTokenError) throw new UsageError(error.message);
      throw error;
    }
    items.push(...page.items);
    token = page.continuationToken ?? undefined;
  } while (token && items.length < limit);
  const shown = items.slice(0, limit);

  reportSkippedRows(io, skipped);
  if (format === 'json')
    io.stdout(`${JSON.stringify({ findings: shown, count: shown.length, skippedRows: skipped.count }, null, io.stdoutIsTty ? 2 : undefined)}\n`);
  else if (format === 'csv') io.stdout(`${[CSV_COLUMNS.join(','), ...shown.map((f) => CSV_COLUMNS.map((c) => csvField(f[c])).join(','))].join('\r\n')}\r\n`);
  else io.stdout(renderFindingsTable(shown, paletteFor(io.env, io.stdoutIsTty)));
  return EXIT_OK;
}

/** Which exemption covers it, until when: enough to find it with `exemptions list`. */
function exemptedText(f: FindingView): string {
  const e = f.exemption;
  return e ? `exempted by ${e.id} (${e.category}${e.expiresOn ? `, until ${e.expiresOn}` : ''}): ${e.reason}` : 'exempted';
}

function renderFindingsTable(findings: readonly FindingView[], c: ReturnType<typeof paletteFor>): string {
  if (findings.length === 0) return 'No findings match.\n';
  const lines = findings.map((f) => {
    const severity =
      f.outcome === 'unknown'
        ? c.dim('unknown')
        : f.severity === 'error'
          ? c.red('error  ')
          : f.severity === 'warning'
            ? c.yellow('warning')
            : c.cyan('info   ');
    const state =
      f.state === 'open'
        ? `open since ${f.openedAt.slice(0, 16).replace('T', ' ')}`
        : f.state === 'exempted'
          ? exemptedText(f)
          : `resolved ${f.resolvedAt?.slice(0, 16).replace('T', ' ')} (${f.resolvedReason})`;
    return `${severity} ${f.vmName.padEnd(24)} ${f.ruleId.padEnd(34)} ${c.dim(state)}\n        ${f.message}`;
  });
  return `${lines.join('\n')}\n\n${findings.length} finding${findings.length === 1 ? '' : 's'}.\n`;
}
