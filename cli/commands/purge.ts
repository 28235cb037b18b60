import { parseArgs } from 'node:util';
import { DEFAULT_RETENTION_DAYS, purgeExpired } from '../../core/store/index.js';
import { EXIT_OK, UsageError, type CliIo } from '../io.js';
import { storeFromOptions, STORE_OPTIONS } from '../storeOption.js';

export const PURGE_USAGE = `Usage: vm-backup-guard purge [--store <connection-string>] [--table <name>] [--retention-days N]

Removes what is older than the retention: resolved findings, delivered or failed alert intents, and VMs deleted
that long ago with everything they kept. Open findings, pending intents and present VMs are never removed.
The functions do the same every day (RETENTION_SCHEDULE, RETENTION_DAYS).
  --store <connection-string>   the findings storage (default: FINDINGS_STORAGE); --table <name> (default: FINDINGS_TABLE)
  --retention-days N            keep N days (default: RETENTION_DAYS, else ${DEFAULT_RETENTION_DAYS})`;

/** Whole days, at least one: a retention of zero would remove what was resolved a moment ago. */
export function parseRetentionDays(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1) throw new UsageError(`${name} must be a whole number of days, at least 1; got "${text}"`);
  return Number(text);
}

export async function purgeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...STORE_OPTIONS,
      'retention-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${PURGE_USAGE}\n`);
    return EXIT_OK;
  }
  const days =
    parseRetentionDays(values['retention-days'], '--retention-days') ?? parseRetentionDays(io.env.RETENTION_DAYS, 'RETENTION_DAYS') ?? DEFAULT_RETENTION_DAYS;
  const target = storeFromOptions(values, io.env);
  if (!target) throw new UsageError('purge needs --store <connection-string> or FINDINGS_STORAGE');
  const report = await purgeExpired(target.store, new Date(), days);
  const kept = report.kept > 0 ? `; ${report.kept} kept (reopened or changed since they expired)` : '';
  io.stdout(
    `purged table ${target.table} (retention ${days} days): ${report.rowsDeleted} rows removed from ${report.vms} VMs over ${report.days} days${kept}.\n`,
  );
  return EXIT_OK;
}
