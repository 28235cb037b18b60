import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reading infra/main.json the way Azure Resource Manager does, as far as it can be done without Azure: its template
 * expressions parsed (a syntax error is an unbalanced bracket, parenthesis or quote), its nested deployments walked
 * scope by scope (`expressionEvaluationOptions.scope: inner` gives each nested template its own parameters and
 * variables), and a small evaluator for the functions whose value does not depend on Azure.
 */

export const TEMPLATE_PATH = fileURLToPath(new URL('../../infra/main.json', import.meta.url));

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function loadTemplate(): JsonObject {
  return JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as JsonObject;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what}: expected an object`);
  return value;
}

export function arr(value: Json | undefined, what: string): Json[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array`);
  return value;
}

export function str(value: Json | undefined, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a string`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'property'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr };

/** ARM: a string in brackets is an expression; `[[` escapes a literal that starts with a bracket. */
export function isExpression(text: string): boolean {
  return text.startsWith('[') && !text.startsWith('[[') && text.endsWith(']');
}

/** A string that starts like an expression but is not one: in this template, always a mistake. */
export function looksLikeBrokenExpression(text: string): boolean {
  return text.startsWith('[') && !text.startsWith('[[') && !text.endsWith(']');
}

type Token = { type: 'ident' | 'string' | 'number' | 'punct'; text: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new SyntaxError(`unterminated string starting at ${i}`);
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += source[j];
        j++;
      }
      tokens.push({ type: 'string', text: value, at: i });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'ident', text: match[0], at: i });
      i += match[0].length;
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?[0-9]+/.exec(source.slice(i));
      if (!match) throw new SyntaxError(`unexpected '${c}' at ${i}`);
      tokens.push({ type: 'number', text: match[0], at: i });
      i += match[0].length;
    } else if ('(),.[]'.includes(c)) {
      tokens.push({ type: 'punct', text: c, at: i });
      i++;
    } else {
      throw new SyntaxError(`unexpected '${c}' at ${i}`);
    }
  }
  return tokens;
}

/** Parses the inside of `[...]`; throws a SyntaxError on anything unbalanced or left over. */
export function parseExpression(text: string): Expr {
  if (!isExpression(text)) throw new SyntaxError(`not an expression: ${text}`);
  const tokens = tokenize(text.slice(1, -1));
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const expect = (punct: string): void => {
    const token = tokens[position];
    if (token?.type !== 'punct' || token.text !== punct) throw new SyntaxError(`expected '${punct}' in ${text}`);
    position++;
  };
  const parse = (): Expr => {
    const token = tokens[position++];
    if (!token) throw new SyntaxError(`unexpected end of ${text}`);
    let expr: Expr;
    if (token.type === 'string') expr = { kind: 'string', value: token.text };
    else if (token.type === 'number') expr = { kind: 'number', value: Number(token.text) };
    else if (token.type === 'ident') {
      expect('(');
      const args: Expr[] = [];
      if (!(peek()?.type === 'punct' && peek()?.text === ')')) {
        for (;;) {
          args.push(parse());
          const next = peek();
          if (next?.type === 'punct' && next.text === ',') {
            position++;
            continue;
          }
          break;
        }
      }
      expect(')');
      expr = { kind: 'call', name: token.text, args };
    } else throw new SyntaxError(`unexpected '${token.text}' in ${text}`);
    for (;;) {
      const next = peek();
      if (next?.type === 'punct' && next.text === '.') {
        position++;
        const name = tokens[position++];
        if (name?.type !== 'ident') throw new SyntaxError(`expected a property name in ${text}`);
        expr = { kind: 'property', target: expr, name: name.text };
      } else if (next?.type === 'punct' && next.text === '[') {
        position++;
        const index = parse();
        expect(']');
        expr = { kind: 'index', target: expr, index };
      } else break;
    }
    return expr;
  };
  const expr = parse();
  if (position !== tokens.length) throw new SyntaxError(`unexpected '${tokens[position]?.text}' in ${text}`);
  return expr;
}

export function walkExpr(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  if (expr.kind === 'call')
    expr.args.forEach((a) => {
      walkExpr(a, visit);
    });
  else if (expr.kind === 'property') walkExpr(expr.target, visit);
  else if (expr.kind === 'index') {
    walkExpr(expr.target, visit);
    walkExpr(expr.index, visit);
  }
}

/** Every `name('literal')` call in an expression, e.g. the parameters and variables it reads. */
export function literalCalls(expr: Expr, name: string): string[] {
  const found: string[] = [];
  walkExpr(expr, (e) => {
    if (e.kind === 'call' && e.name.toLowerCase() === name.toLowerCase()) {
      const [first] = e.args;
      if (first?.kind === 'string') found.push(first.value);
    }
  });
  return found;
}

/** The ARM template functions (learn.microsoft.com, "ARM template functions"); a name not here is a typo. */
export const ARM_FUNCTIONS = new Set(
  [
    // array and object
    'array',
    'concat',
    'contains',
    'createArray',
    'createObject',
    'empty',
    'first',
    'flatten',
    'indexOf',
    'intersection',
    'items',
    'join',
    'json',
    'last',
    'lastIndexOf',
    'length',
    'max',
    'min',
    'null',
    'objectKeys',
    'range',
    'shallowMerge',
    'skip',
    'take',
    'tryGet',
    'union',
    'filter',
    'map',
    'reduce',
    'sort',
    'toObject',
    'lambda',
    'lambdaVariables',
    // comparison and logic
    'coalesce',
    'equals',
    'greater',
    'greaterOrEquals',
    'less',
    'lessOrEquals',
    'and',
    'bool',
    'false',
    'if',
    'not',
    'or',
    'true',
    // date, numeric, string
    'dateTimeAdd',
    'dateTimeFromEpoch',
    'dateTimeToEpoch',
    'utcNow',
    'add',
    'copyIndex',
    'div',
    'float',
    'int',
    'mod',
    'mul',
    'sub',
    'base64',
    'base64ToJson',
    'base64ToString',
    'dataUri',
    'dataUriToString',
    'endsWith',
    'format',
    'guid',
    'newGuid',
    'padLeft',
    'replace',
    'split',
    'startsWith',
    'string',
    'substring',
    'toLower',
    'toUpper',
    'trim',
    'uniqueString',
    'uri',
    'uriComponent',
    'uriComponentToString',
    // deployment, scope, resource
    'deployer',
    'deployment',
    'environment',
    'parameters',
    'variables',
    'extensionResourceId',
    'managementGroupResourceId',
    'pickZones',
    'providers',
    'reference',
    'references',
    'resourceId',
    'subscriptionResourceId',
    'tenantResourceId',
    'managementGroup',
    'resourceGroup',
    'subscription',
    'tenant',
  ].map((f) => f.toLowerCase()),
);

/** `list*` functions (listKeys, listSecrets, listConnectionStrings, ...) read secrets at deployment time. */
export function isListFunction(name: string): boolean {
  return /^list/i.test(name);
}

// ---------------------------------------------------------------------------------------------------------------
// Scopes: the main template and each nested template with inner expression evaluation

export interface Scope {
  /** `main`, `main/app-deployment`, ... for messages. */
  path: string;
  template: JsonObject;
  parent: Scope | null;
  /** The deployment resource (in the parent) that deploys this template. */
  deployment: JsonObject | null;
}

export interface FoundResource {
  resource: JsonObject;
  scope: Scope;
}

function deploymentName(resource: JsonObject): string {
  return typeof resource.name === 'string' ? resource.name : '?';
}

/** The nested templates, in order, each with the deployment resource that deploys it. */
export function scopes(template: JsonObject): Scope[] {
  const all: Scope[] = [];
  const visit = (scope: Scope): void => {
    all.push(scope);
    for (const r of arr(scope.template.resources ?? [], `${scope.path}.resources`)) {
      const resource = obj(r, `${scope.path} resource`);
      if (resource.type !== 'Microsoft.Resources/deployments') continue;
      const properties = obj(resource.properties, `${scope.path} deployment properties`);
      const options = properties.expressionEvaluationOptions;
      if (!isObject(options) || options.scope !== 'inner')
        throw new Error(`${scope.path}: nested deployment ${deploymentName(resource)} must use inner expression evaluation`);
      visit({
        path: `${scope.path} > ${deploymentName(resource)}`,
        template: obj(properties.template, 'nested template'),
        parent: scope,
        deployment: resource,
      });
    }
  };
  visit({ path: 'main', template, parent: null, deployment: null });
  return all;
}

export function resourcesOfType(template: JsonObject, type: string): FoundResource[] {
  const found: FoundResource[] = [];
  for (const scope of scopes(template)) {
    for (const r of arr(scope.template.resources ?? [], 'resources')) {
      const resource = obj(r, 'resource');
      if (typeof resource.type === 'string' && resource.type.toLowerCase() === type.toLowerCase()) found.push({ resource, scope });
    }
  }
  return found;
}

/**
 * Every string of a template that belongs to its own scope, with where it is. The body of a nested template
 * belongs to the nested scope; the rest of the deployment resource (its name, its parameter values) to this one.
 */
export function ownStrings(scope: Scope): { path: string; value: string; inCopyLoop: boolean }[] {
  const out: { path: string; value: string; inCopyLoop: boolean }[] = [];
  const visit = (value: Json, path: string, inCopyLoop: boolean, isKey = false): void => {
    if (typeof value === 'string') out.push({ path: isKey ? `${path} (key)` : path, value, inCopyLoop });
    else if (Array.isArray(value))
      value.forEach((v, i) => {
        visit(v, `${path}[${i}]`, inCopyLoop);
      });
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key.startsWith('[')) visit(key, `${path}.${key}`, inCopyLoop, true);
        visit(v, `${path}.${key}`, inCopyLoop);
      }
    }
  };
  const t = scope.template;
  for (const key of ['parameters', 'variables', 'outputs'] as const) if (t[key] !== undefined) visit(t[key] as Json, `${scope.path}.${key}`, false);
  arr(t.resources ?? [], 'resources').forEach((r, i) => {
    const resource = obj(r, 'resource');
    const inCopyLoop = resource.copy !== undefined;
    for (const [key, v] of Object.entries(resource)) {
      if (resource.type === 'Microsoft.Resources/deployments' && key === 'properties' && isObject(v)) {
        for (const [pk, pv] of Object.entries(v)) if (pk !== 'template') visit(pv, `${scope.path}.resources[${i}].properties.${pk}`, inCopyLoop);
      } else visit(v, `${scope.path}.resources[${i}].${key}`, inCopyLoop);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation of what does not depend on Azure

/** Stand-ins for what only Azure knows at deployment time, keyed by the expression's head (`environment().resourceManager`). */
export type AzureFacts = (expr: Expr, describe: string) => Json | undefined;

export class NotEvaluable extends Error {}

export interface EvalContext {
  scope: Scope;
  /** Parameter values of this scope (already resolved). */
  parameters: Record<string, Json>;
  azure: AzureFacts;
}

export function describeExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'string':
      return `'${expr.value}'`;
    case 'number':
      return String(expr.value);
    case 'call':
      return `${expr.name}(${expr.args.map(describeExpr).join(', ')})`;
    case 'property':
      return `${describeExpr(expr.target)}.${expr.name}`;
    case 'index':
      return `${describeExpr(expr.target)}[${describeExpr(expr.index)}]`;
  }
}

export function evaluate(value: Json, context: EvalContext): Json {
  if (typeof value === 'string') return isExpression(value) ? evaluateExpr(parseExpression(value), context) : value.startsWith('[[') ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, context));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, context)]));
  return value;
}

function asString(value: Json, what: string): string {
  if (typeof value !== 'string') throw new NotEvaluable(`${what}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function evaluateExpr(expr: Expr, context: EvalContext): Json {
  const fact = context.azure(expr, describeExpr(expr));
  if (fact !== undefined) return fact;
  switch (expr.kind) {
    case 'string':
      return expr.value;
    case 'number':
      return expr.value;
    case 'property': {
      const target = evaluateExpr(expr.target, context);
      if (!isObject(target) || !(expr.name in target)) throw new NotEvaluable(describeExpr(expr));
      return target[expr.name] as Json;
    }
    case 'index': {
      const target = evaluateExpr(expr.target, context);
      const index = evaluateExpr(expr.index, context);
      if (Array.isArray(target) && typeof index === 'number' && index < target.length) return target[index] as Json;
      if (isObject(target) && typeof index === 'string' && index in target) return target[index] as Json;
      throw new NotEvaluable(describeExpr(expr));
    }
    case 'call': {
      const args = () => expr.args.map((a) => evaluateExpr(a, context));
      switch (expr.name.toLowerCase()) {
        case 'parameters': {
          const name = asString(evaluateExpr(expr.args[0] as Expr, context), 'parameters()');
          if (!(name in context.parameters)) throw new NotEvaluable(`parameter ${name} has no value in ${context.scope.path}`);
          return context.parameters[name] as Json;
        }
        case 'variables': {
          const name = asString(evaluateExpr(expr.args[0] as Expr, context), 'variables()');
          const variables = context.scope.template.variables;
          if (!isObject(variables) || !(name in variables)) throw new NotEvaluable(`variable ${name} is not defined in ${context.scope.path}`);
          return evaluate(variables[name] as Json, context);
        }
        case 'string': {
          const [v] = args();
          return typeof v === 'string' ? v : JSON.stringify(v);
        }
        case 'join': {
          const [list, separator] = args();
          if (!Array.isArray(list)) throw new NotEvaluable('join() of a non-array');
          return list.map((v) => asString(v, 'join()')).join(asString(separator as Json, 'join()'));
        }
        case 'createarray':
          return args();
        case 'createobject': {
          const values = args();
          const out: JsonObject = {};
          for (let i = 0; i + 1 < values.length; i += 2) out[asString(values[i] as Json, 'createObject()')] = values[i + 1] as Json;
          return out;
        }
        case 'union': {
          const values = args();
          if (values.every(isObject)) return Object.assign({}, ...values) as JsonObject;
          throw new NotEvaluable('union() of non-objects');
        }
        case 'format': {
          const [pattern, ...rest] = args();
          return asString(pattern as Json, 'format()').replace(/\{(\d+)\}/g, (_, n: string) => {
            const v = rest[Number(n)];
            return typeof v === 'string' ? v : JSON.stringify(v);
          });
        }
        case 'tolower':
          return asString(args()[0] as Json, 'toLower()').toLowerCase();
        case 'replace': {
          const [s, from, to] = args().map((v) => asString(v, 'replace()'));
          return (s as string).split(from as string).join(to as string);
        }
        case 'take': {
          const [v, n] = args();
          if (typeof n !== 'number') throw new NotEvaluable('take() count');
          if (typeof v === 'string' || Array.isArray(v)) return v.slice(0, n);
          throw new NotEvaluable('take() of a non-string');
        }
        case 'length': {
          const [v] = args();
          if (typeof v === 'string' || Array.isArray(v)) return v.length;
          throw new NotEvaluable('length()');
        }
        case 'empty': {
          const [v] = args();
          return v === '' || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
        }
        case 'not':
          return !(args()[0] as boolean);
        default:
          throw new NotEvaluable(`${expr.name}() depends on Azure: ${describeExpr(expr)}`);
      }
    }
  }
}

/**
 * Parameter values of every scope for a given set of main-template parameter values: defaults filled in, then each
 * nested deployment's `parameters` evaluated in its parent's scope. A value that only Azure knows comes from `azure`.
 */
export function resolveScopeParameters(scope: Scope, mainValues: Record<string, Json>, azure: AzureFacts): Record<string, Json> {
  const declared = obj(scope.template.parameters ?? {}, `${scope.path}.parameters`);
  let given: Record<string, Json>;
  if (scope.parent === null) given = mainValues;
  else {
    const parentParameters = resolveScopeParameters(scope.parent, mainValues, azure);
    const passed = obj(obj(scope.deployment?.properties, 'deployment properties').parameters ?? {}, 'deployment parameters');
    given = {};
    for (const [name, spec] of Object.entries(passed)) {
      given[name] = evaluate(obj(spec, `parameter ${name}`).value as Json, { scope: scope.parent, parameters: parentParameters, azure });
    }
  }
  const values: Record<string, Json> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (name in given) values[name] = given[name] as Json;
    else {
      const definition = obj(spec, `parameter ${name}`);
      if (definition.defaultValue === undefined) throw new Error(`${scope.path}: parameter ${name} has neither a value nor a default`);
      values[name] = evaluate(definition.defaultValue, { scope, parameters: values, azure });
    }
  }
  return values;
}
