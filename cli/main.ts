import { checkCommand, CHECK_USAGE } from './commands/check.js';
import { diffEditionsCommand, editionsCommand } from './commands/editions.js';
import { EXIT_OK, EXIT_SERVICE, EXIT_USAGE, UsageError, type CliIo } from './io.js';
import { escapeControl } from './format/escapeControl.js';
import { safeErrorMessage } from '../core/platform/safeErrorText.js';
import { TOOL } from './toolInfo.js';

const USAGE = `Usage: vm-backup-guard <command> [options]

Commands:
  check <files...>     check VMs in ARM JSON files against the backup support matrix
  findings             query stored findings (--store or FINDINGS_STORAGE)
  scan                 check every VM of a subscription, read live from ARM (--subscription, --auth azure-cli)
  alerts               alerts test --destination <name> (a sample card or signed payload); alerts list --store ...
  migrate              bring a findings store written by an earlier version to the current layout (--store)
  purge                remove resolved findings, settled alerts and deleted VMs older than the retention (--store)
  exemptions           add|list|remove the exemptions kept in the store (--store); see docs/exemptions.md
  editions             list the matrix editions this version knows
  diff-editions        what changed between two editions, rule by rule (--from, --to)

Run \`vm-backup-guard <command> --help\` for a command's options; \`vm-backup-guard --version\` for the version.

${CHECK_USAGE}`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// `findings`, `scan` and the store commands bring the Azure SDKs: loaded only when asked for, so `check` starts fast.
const COMMANDS: Record<string, Command> = {
  check: checkCommand,
  findings: async (args, io) => (await import('./commands/findings.js')).findingsCommand(args, io),
  scan: async (args, io) => (await import('./commands/scan.js')).scanCommand(args, io),
  alerts: async (args, io) => (await import('./commands/alerts.js')).alertsCommand(args, io),
  migrate: async (args, io) => (await import('./commands/migrate.js')).migrateCommand(args, io),
  purge: async (args, io) => (await import('./commands/purge.js')).purgeCommand(args, io),
  exemptions: async (args, io) => (await import('./commands/exemptions.js')).exemptionsCommand(args, io),
  editions: editionsCommand,
  'diff-editions': diffEditionsCommand,
};

/** The CLI without process globals, so tests run it in-process. Returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`${TOOL.name} ${TOOL.version}\n`);
    return EXIT_OK;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(`${USAGE}\n`);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    io.stderr(`error: unknown command "${escapeControl(command)}"\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return await handler(rest, io);
  } catch (error) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`error: ${escapeControl((error as Error).message)}\nRun \`vm-backup-guard ${command} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    // An Azure service (storage, ARM) answered with an error, or could not be reached: say which, without a stack.
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' || /^E(CONN|HOST|NOTFOUND|TIMEDOUT|AI_)/.test(code) || (error as Error).name === 'CredentialUnavailableError') {
      io.stderr(`error: ${typeof status === 'number' ? `the service answered ${status}: ` : ''}${escapeControl(safeErrorMessage(error))}\n`);
      return EXIT_SERVICE;
    }
    throw error;
  }
}
