/**
 * The docs:rules command: `npm run docs:rules` rewrites the generated parts of docs/rules/*.md and
 * docs/matrix-coverage.md from the editions; `npm run docs:rules -- --check` writes nothing and exits 1 naming each
 * stale file (what CI runs). scripts/generateRuleDocs.ts runs it as a process.
 */
import { readGeneratedDocs, staleness, writeGeneratedDocs } from './ruleDocs.js';

export interface RuleDocsIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command, apart from the process, so the test can run it on a copy of the docs. Returns the exit code. */
export function runRuleDocs(args: string[], root: string, io: RuleDocsIo): number {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    io.stderr(`docs:rules: unknown argument ${unknown.join(' ')}\nUsage: npm run docs:rules [-- --check]\n`);
    return 2;
  }
  if (args.includes('--check')) {
    const stale = readGeneratedDocs(root)
      .map(staleness)
      .filter((why): why is string => why !== null);
    if (stale.length === 0) {
      io.stdout('docs:rules: the rule pages and docs/matrix-coverage.md match the editions.\n');
      return 0;
    }
    io.stderr(`${stale.join('\n')}\ndocs:rules: ${stale.length} file(s) differ from core/matrix/editions: run \`npm run docs:rules\` and commit the result.\n`);
    return 1;
  }
  const written = writeGeneratedDocs(root);
  io.stdout(written.length === 0 ? 'docs:rules: nothing to update.\n' : written.map((path) => `wrote ${path}\n`).join(''));
  // A stub still needs a person: say so, so the next --check does not come as a surprise.
  const stubs = readGeneratedDocs(root)
    .map(staleness)
    .filter((why): why is string => why !== null);
  if (stubs.length > 0) io.stdout(`${stubs.join('\n')}\n`);
  return 0;
}
