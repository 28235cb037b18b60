// `npm run docs:rules [-- --check]`: the process around scripts/ruleDocsCommand.ts, bundled and run by scripts/runTs.mjs from the project root.
import { runRuleDocs } from './ruleDocsCommand.js';

process.exitCode = runRuleDocs(process.argv.slice(2), process.cwd(), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
