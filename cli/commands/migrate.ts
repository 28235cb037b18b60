import { parseArgs } from 'node:util';
import { migrateStore } from '../../core/store/index.js';
import { EXIT_OK, UsageError, type CliIo } from '../io.js';
import { storeFromOptions, STORE_OPTIONS } from '../storeOption.js';

export const MIGRATE_USAGE = `Usage: vm-backup-guard migrate [--store <connection-string>] [--table <name>] [--restart]

Brings a findings store written by an earlier version up to the current storage layout (docs/storage-layout.md):
indexes the VMs from their own rows and moves dirty marks. VM rows are not changed, so nothing is lost. Idempotent:
a store already migrated is left alone. Resumable: an interrupted run continues where it stopped.
  --store <connection-string>   the findings storage (default: FINDINGS_STORAGE); --table <name> (default: FINDINGS_TABLE)
  --restart                     index every VM again, even when a previous run finished`;

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...STORE_OPTIONS,
      restart: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${MIGRATE_USAGE}\n`);
    return EXIT_OK;
  }
  const target = storeFromOptions(values, io.env);
  if (!target) throw new UsageError('migrate needs --store <connection-string> or FINDINGS_STORAGE');
  const report = await migrateStore(target.store, { restart: values.restart ?? false });
  if (report.alreadyDone) {
    io.stdout(`table ${target.table} is already migrated; nothing to do (--restart runs it again).\n`);
    return EXIT_OK;
  }
  const resumed = report.resumedAfter ? `, resuming after ${decodeURIComponent(report.resumedAfter)}` : '';
  io.stdout(`migrated table ${target.table}: ${report.vms} VMs indexed${resumed}; ${report.dirtyMarks} dirty marks moved.\n`);
  return EXIT_OK;
}
