import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputError } from '../core/inventory/inputError.js';
import type { SourcedInventory } from '../core/inventory/mergeInventories.js';
import { parseInventoryDocument } from '../core/inventory/parseInventoryDocument.js';

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

class InvalidUtf8Error extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The file's text, refusing bytes that are not UTF-8: a lenient decode turns them into U+FFFD silently, and two VMs
 * whose ids differ only there would become one. The error names the offset of the first bad byte.
 */
function decodeUtf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidOffset(bytes);
    throw new InvalidUtf8Error(`not UTF-8: invalid byte at offset ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')})`);
  }
}

/**
 * Where the first invalid sequence starts. A lenient decode marks each with U+FFFD; up to the first one that is not
 * a real U+FFFD of the input (EF BF BD), the text before it re-encodes to exactly the bytes before it.
 */
function firstInvalidOffset(bytes: Buffer): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  for (let at = text.indexOf('\uFFFD'); at >= 0; at = text.indexOf('\uFFFD', at + 1)) {
    const offset = Buffer.byteLength(text.slice(0, at));
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
  }
  return 0;
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
        // A FIFO or device would block the read forever (or never end): only regular files are read.
        if (!(await stat(file)).isFile()) {
          errors.push({ file, path: '$', message: 'cannot read: not a regular file (a FIFO, device or socket)' });
          continue;
        }
        text = decodeUtf8(await readFile(file));
      } catch (error) {
        const message = error instanceof InvalidUtf8Error ? error.message : `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
        errors.push({ file, path: '$', message });
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
