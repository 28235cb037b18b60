import type { SkippedRows } from '../core/store/index.js';
import type { CliIo } from './io.js';
import { escapeControl } from './format/escapeControl.js';

/** One stderr line when a read left rows out: the answer is still given, and the count says it is incomplete. */
export function reportSkippedRows(io: CliIo, skipped: SkippedRows): void {
  if (skipped.count === 0) return;
  io.stderr(
    `warning: ${skipped.count} stored row${skipped.count === 1 ? '' : 's'} failed validation and ${skipped.count === 1 ? 'was' : 'were'} skipped (keys: ${escapeControl(skipped.keys.join('; '))})\n`,
  );
}
