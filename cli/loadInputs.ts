import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputError } from '../shared/inventory/inputError.js';
import type { SourcedInventory } from '../shared/inventory/mergeInventories.js';
import { parseInventoryDocument } from '../shared/inventory/parseInventoryDocument.js';

export interface LoadedInputs {
  sources: SourcedInventory[];
  errors: InputError[];
  /** Resources skipped because no check reads their type (from mixed exports such as a Resource Graph query). */
  warnings: string[];
}

/** A directory argument stands for the `.json` files directly inside it, in name order. */
async function expand(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  return names.map((n) => join(path, n));
}

/** Reads every input file; a file with any problem contributes errors and nothing else (the others still count). */
export async function loadInputs(paths: readonly string[]): Promise<LoadedInputs> {
  const sources: SourcedInventory[] = [];
  const errors: InputError[] = [];
  const warnings: string[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = await expand(path);
    } catch (error) {
      errors.push({ file: path, path: '$', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        errors.push({ file, path: '$', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
        continue;
      }
      let document: unknown;
      try {
        document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch (error) {
        errors.push({ file, path: '$', message: `invalid JSON: ${(error as Error).message}` });
        continue;
      }
      const parsed = parseInventoryDocument(document, file);
      if (parsed.errors.length > 0) errors.push(...parsed.errors);
      else sources.push({ file, inventory: parsed.inventory });
      warnings.push(...parsed.warnings);
    }
  }
  return { sources, errors, warnings };
}
