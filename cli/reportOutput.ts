import type { Evaluation } from '../shared/matrix/evaluate.js';
import type { Severity } from '../shared/matrix/types.js';
import { paletteFor } from './format/colour.js';
import { writeJsonReport } from './format/json.js';
import { renderMarkdown } from './format/markdown.js';
import { renderTable } from './format/table.js';
import { UsageError, type CliIo } from './io.js';
import { buildReport, type CheckReport, type FailOn } from './report.js';

const FORMATS = ['table', 'json', 'markdown'] as const;
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** The options every command that evaluates VMs takes (for node:util parseArgs). */
export const EVALUATION_OPTIONS = {
  matrix: { type: 'string' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'min-severity': { type: 'string' },
  store: { type: 'string' },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ReportChoices {
  format: (typeof FORMATS)[number];
  failOn: FailOn;
  minSeverity: Severity;
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')}; got "${value}"`);
}

/** `--format`, `--fail-on`, `--min-severity`, validated the same way for every command that reports evaluations. */
export function reportChoices(values: { format?: string; 'fail-on'?: string; 'min-severity'?: string }): ReportChoices {
  return {
    format: oneOf('format', values.format, FORMATS, 'table'),
    failOn: oneOf<FailOn>('fail-on', values['fail-on'], [...SEVERITIES, 'never'], 'error'),
    minSeverity: oneOf('min-severity', values['min-severity'], SEVERITIES, 'info'),
  };
}

/** Writes the report in the chosen format; returns whether something at or above --fail-on failed. */
export function writeReport(edition: string, evaluations: Iterable<Evaluation>, choices: ReportChoices, extras: Pick<CheckReport, 'inputErrors' | 'warnings'>, io: CliIo): boolean {
  const options = { failOn: choices.failOn, minSeverity: choices.minSeverity, ...extras };
  if (choices.format === 'json') return writeJsonReport(edition, evaluations, options, io.stdout, io.stdoutIsTty).failed;
  const report = buildReport(edition, evaluations, options);
  io.stdout(choices.format === 'markdown' ? renderMarkdown(report) : renderTable(report, paletteFor(io.env, io.stdoutIsTty)));
  return report.summary.failed;
}
