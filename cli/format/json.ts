import type { Evaluation } from '../../core/matrix/evaluate.js';
import { ByteChunks } from './byteChunks.js';
import { reportHeader, ReportAccumulator, type CheckReport, type ReportOptions } from '../checkReport.js';

/**
 * The `check --format json` document, written as the VMs are evaluated, in input order: each VM's entry is
 * serialised and dropped at once, and output goes out in ~1 MB chunks of bytes. Holding a 10,000-VM report in
 * memory (and as one string) cost more than the checks themselves. On a terminal the document is indented for reading.
 */
export function writeJsonReport(
  edition: string,
  evaluations: Iterable<Evaluation>,
  options: ReportOptions & Pick<CheckReport, 'inputErrors' | 'warnings'>,
  write: (bytes: Uint8Array) => void,
  pretty: boolean,
): CheckReport['summary'] {
  const accumulator = new ReportAccumulator(options);
  const out = new ByteChunks(write);
  const indent = pretty ? 2 : undefined;
  const separator = pretty ? ',\n' : ',';
  // The header object without its closing brace, then the VMs array opened after it.
  const head = JSON.stringify(reportHeader(edition), null, indent).slice(0, -1).trimEnd();
  out.add(pretty ? `${head},\n  "vms": [\n` : `${head},"vms":[`);
  let first = true;
  for (const evaluation of evaluations) {
    const vm = JSON.stringify(accumulator.add(evaluation), null, indent);
    if (!first) out.add(separator);
    out.add(pretty ? indentBlock(vm, 4) : vm);
    first = false;
  }
  const summary = accumulator.summary();
  const tail = JSON.stringify({ summary, inputErrors: options.inputErrors, warnings: options.warnings }, null, indent);
  out.add(pretty ? `\n  ],\n${tail.slice(2)}\n` : `],${tail.slice(1)}\n`);
  out.flush();
  return summary;
}

function indentBlock(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return pad + text.replace(/\n/g, `\n${pad}`);
}
