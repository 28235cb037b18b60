import { readFile } from 'node:fs/promises';
import type { ExemptionContext } from '../core/exemptions/applyExemptions.js';
import { exemptionErrors, exemptionsFile, type Exemption } from '../core/exemptions/exemption.js';
import type { VmEvaluations } from '../core/store/index.js';
import { UsageError } from './io.js';

/** `--exemptions <file>`: `{ "exemptions": [ … ] }`, each refused with a reason (unknown rule id, bad scope, …). */
export async function readExemptionsFile(path: string): Promise<Exemption[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--exemptions ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = exemptionsFile.safeParse(json);
  if (!parsed.success) throw new UsageError(`--exemptions ${path}: ${exemptionErrors(parsed.error).join('; ')}`);
  return parsed.data.exemptions;
}

/**
 * The exemptions a CLI evaluation applies: the file's, and the store's when the command writes to one (so what
 * `check --store` stores agrees with what events and the sweep store).
 */
export async function cliExemptions(file: string | undefined, store: Pick<VmEvaluations, 'activeExemptions'> | null, now: string): Promise<ExemptionContext> {
  const fromFile = file === undefined ? [] : await readExemptionsFile(file);
  if (!store) return { exemptions: fromFile, now };
  const stored = await store.activeExemptions(now);
  return { exemptions: [...fromFile, ...stored.exemptions], now };
}
