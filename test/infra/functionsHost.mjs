// A stand-in for the Azure Functions Node.js worker's start-up, for tests and benchmarks: it provides
// `@azure/functions-core` the way the worker does (a hook on Module.prototype.require, so the bundle's
// `require('@azure/functions-core')` gets it), imports the bundle the host would (package.json "main"), and prints
// what got registered, as JSON on stdout. The metadata is what the host indexes: name, bindings (type, direction,
// route, schedule, queueName, connection...). Run in its own process: the hook and the module cache stay there.
//
//   node test/infra/functionsHost.mjs <bundle.js> [--import <module.js>...]
//
// --import loads more modules after indexing (bench/coldStart.ts: what a function's first invocation loads).
import Module from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const started = process.hrtime.bigint();
const [bundle, ...rest] = process.argv.slice(2);
if (!bundle) {
  console.error('usage: functionsHost.mjs <bundle.js> [--import <module.js>...]');
  process.exit(2);
}
const extra = rest.filter((_, i) => rest[i - 1] === '--import');

const functions = [];
const hooks = [];
let programmingModel = null;
const coreApi = {
  version: '3.10.1',
  get programmingModel() {
    return programmingModel;
  },
  setProgrammingModel(model) {
    programmingModel = { name: model.name, version: model.version };
  },
  getProgrammingModel: () => programmingModel,
  registerFunction(metadata, callback) {
    if (typeof callback !== 'function') throw new Error(`function ${metadata.name}: no handler`);
    functions.push(metadata);
    return { dispose() {} };
  },
  registerHook(name) {
    hooks.push(name);
    return { dispose() {} };
  },
  log() {},
  Disposable: class {
    dispose() {}
  },
};

const originalRequire = Module.prototype.require;
Module.prototype.require = function require(id, ...args) {
  return id === '@azure/functions-core' ? coreApi : originalRequire.call(this, id, ...args);
};

await import(pathToFileURL(resolve(bundle)).href);
const indexedMs = Number(process.hrtime.bigint() - started) / 1e6;
for (const module of extra) await import(pathToFileURL(resolve(module)).href);
const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ programmingModel, functions, hooks, indexedMs, loadedMs })}\n`);
