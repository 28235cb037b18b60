import { closeSync, openSync, writeSync } from 'node:fs';
import type { Evaluation } from '../core/matrix/evaluate.js';
import type { Severity } from '../core/matrix/types.js';
import { paletteFor } from './format/colour.js';
import { renderCsv } from './format/csv.js';
import { writeJsonReport } from './format/json.js';
import { renderJunit } from './format/junit.js';
import { renderMarkdown } from './format/markdown.js';
import { renderSarif } from './format/sarif.js';
import { renderTable } from './format/table.js';
import { withControlEscaped } from './format/escapeControl.js';
import { UsageError, type CliIo } from './io.js';
import { buildReport, type CheckReport, type FailOn } from './checkReport.js';

const FORMATS = ['table', 'json', 'markdown', 'sarif', 'junit', 'csv'] as const;
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
/** Used when stdout is not a terminal and COLUMNS is unset: what most CI logs show without a scroll bar. */
const DEFAULT_WIDTH = 120;

/** The options every command that evaluates VMs takes (for node:util parseArgs). */
export const EVALUATION_OPTIONS = {
  matrix: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'min-severity': { type: 'string' },
  'docs-base-url': { type: 'string' },
  compact: { type: 'boolean' },
  store: { type: 'string' },
  table: { type: 'string' },
  auth: { type: 'string' },
  exemptions: { type: 'string' },
  'show-exempted': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const REPORT_OPTIONS_USAGE = `  --format table|json|markdown|sarif|junit|csv   output (default: table)
  --output, -o <file>       write the report to this file instead of stdout (any format)
  --fail-on error|warning|info|never   exit 1 when a failure at or above this severity exists (default: error)
  --min-severity error|warning|info    show findings at or above this severity (default: info)
  --docs-base-url <https-url>          link rules as <url><rule id>.md (default: the relative docs/rules/)
  --compact                 markdown: one line per VM with findings, for pull-request comments (65,536 characters)
  --exemptions <file>       apply the exemptions in this file ({ "exemptions": [...] }, see docs/exemptions.md):
                            exempted findings are shown apart and never fail --fail-on
  --show-exempted           table: list exempted findings under each VM (default: a count per VM)`;

export interface ReportChoices {
  format: (typeof FORMATS)[number];
  failOn: FailOn;
  minSeverity: Severity;
  output: string | null;
  docsBaseUrl: string | undefined;
  compact: boolean;
  showExempted: boolean;
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')}; got "${value}"`);
}

function docsBase(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--docs-base-url must be an absolute https:// URL; got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`--docs-base-url must be an https:// URL; got "${value}"`);
  return value.endsWith('/') ? value : `${value}/`;
}

/** The report options, validated the same way for every command that reports evaluations. */
export function reportChoices(values: {
  format?: string;
  output?: string;
  'fail-on'?: string;
  'min-severity'?: string;
  'docs-base-url'?: string;
  compact?: boolean;
  'show-exempted'?: boolean;
}): ReportChoices {
  const format = oneOf('format', values.format, FORMATS, 'table');
  if (values.compact && format !== 'markdown') throw new UsageError('--compact applies to --format markdown only');
  if (values.output === '') throw new UsageError('--output needs a file name');
  return {
    format,
    failOn: oneOf<FailOn>('fail-on', values['fail-on'], [...SEVERITIES, 'never'], 'error'),
    minSeverity: oneOf('min-severity', values['min-severity'], SEVERITIES, 'info'),
    output: values.output ?? null,
    docsBaseUrl: docsBase(values['docs-base-url']),
    compact: values.compact === true,
    showExempted: values['show-exempted'] === true,
  };
}

/** Where the report goes: stdout, or a file opened up front (a bad path fails before any work is shown). */
function reportSink(choices: ReportChoices, io: CliIo): { write: (text: string | Uint8Array) => void; close: () => void } {
  if (choices.output === null) return { write: io.stdout, close: () => undefined };
  let fd: number;
  try {
    fd = openSync(choices.output, 'w');
  } catch (error) {
    throw new UsageError(`--output ${choices.output}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return {
    write: (text) => {
      if (typeof text === 'string') writeSync(fd, text);
      else writeSync(fd, text);
    },
    close: () => {
      closeSync(fd);
      io.stderr(`wrote the ${choices.format} report to ${choices.output}\n`);
    },
  };
}

type Extras = Pick<CheckReport, 'inputErrors' | 'warnings'> & { sourceOf?: (vmId: string) => string | undefined };

/** Writes the report in the chosen format; returns whether something at or above --fail-on failed. */
export function writeReport(edition: string, evaluations: Iterable<Evaluation>, choices: ReportChoices, extras: Extras, io: CliIo): boolean {
  const options = { failOn: choices.failOn, minSeverity: choices.minSeverity, docsBaseUrl: choices.docsBaseUrl, ...extras };
  const sink = reportSink(choices, io);
  try {
    const toTerminal = choices.output === null && io.stdoutIsTty;
    if (choices.format === 'json') return writeJsonReport(edition, evaluations, options, sink.write, toTerminal).failed;
    // JUnit lists every rule's outcome, passes included, which the report (findings only) does not keep.
    const kept = choices.format === 'junit' ? [...evaluations] : evaluations;
    const report = buildReport(edition, kept, options);
    sink.write(render(report, choices, io, kept as Evaluation[]));
    return report.summary.failed;
  } finally {
    sink.close();
  }
}

function render(report: CheckReport, choices: ReportChoices, io: CliIo, evaluations: Evaluation[]): string {
  switch (choices.format) {
    case 'markdown':
      // Text for a person's screen: an input's control characters (a VM name with escape codes) are shown escaped.
      return renderMarkdown(withControlEscaped(report), { compact: choices.compact });
    case 'sarif':
      return renderSarif(report, { docsBaseUrl: choices.docsBaseUrl });
    case 'junit':
      return renderJunit(evaluations, { minSeverity: choices.minSeverity });
    case 'csv':
      return renderCsv(report);
    default: {
      const toTerminal = choices.output === null && io.stdoutIsTty;
      const width = (toTerminal ? io.stdoutColumns : undefined) ?? (Number(io.env.COLUMNS) || DEFAULT_WIDTH);
      // A file never gets colour codes, whatever FORCE_COLOR says.
      return renderTable(withControlEscaped(report), paletteFor(choices.output === null ? io.env : {}, toTerminal), width, {
        showExempted: choices.showExempted,
      });
    }
  }
}
