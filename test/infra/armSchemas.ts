import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import { arr, isObject, obj, scopes, type Json, type JsonObject, type Scope } from './armTemplate.js';

/**
 * infra/main.json against the published Azure Resource Manager JSON schemas (Azure/azure-resource-manager-schemas,
 * vendored in test/fixtures/arm-schemas/, see its README), with ajv in draft-04 mode as the schemas declare:
 *
 * - each template (the main one and every nested one) against the deployment template schema of the scope it is
 *   deployed at, with the schema's catalogue of resource types replaced by the generic resource base: the resources
 *   are checked one by one instead, which gives a readable error instead of a failed `oneOf` over 800 types;
 * - each resource against the definition of its type and apiVersion in the section of its scope
 *   (`resourceDefinitions` for a resource group, `subscription_resourceDefinitions` for a subscription), together
 *   with the template's resource base (`condition`, `dependsOn`, `copy`, ...).
 *
 * Strict: the published schemas leave every object open (no `additionalProperties`), so a misspelt property would
 * pass. When loading, every object schema of the resource definitions that lists its `properties` is closed
 * (`additionalProperties: false`); see `closeObjects`.
 */

export const SCHEMA_DIR = fileURLToPath(new URL('../fixtures/arm-schemas/', import.meta.url));
export const SCHEMA_BASE = 'https://schema.management.azure.com/schemas/';

export type ScopeKind = 'resourceGroup' | 'subscription';

/** The deployment template schema of each scope (the `$schema` Microsoft documents for it). */
export const TEMPLATE_SCHEMA: Record<ScopeKind, string> = {
  resourceGroup: '2019-04-01/deploymentTemplate.json',
  subscription: '2018-05-01/subscriptionDeploymentTemplate.json',
};

/** Where a provider schema file lists the resource definitions deployable at each scope. */
const SECTION: Record<ScopeKind, string> = {
  resourceGroup: 'resourceDefinitions',
  subscription: 'subscription_resourceDefinitions',
};

/**
 * Keys of a resource that belong to the deployment, not to the resource provider, and that the deployment template
 * schemas do not list: a nested deployment names the resource group and subscription it deploys to
 * (learn.microsoft.com, "Deploy Azure resources to more than one subscription or resource group"). The other
 * template-level keys (`condition`, `dependsOn`, `copy`, `scope`, `comments`, ...) are read from the template
 * schema's own resource base.
 */
const DEPLOYMENT_TARGET_KEYS: Record<string, JsonObject> = {
  'microsoft.resources/deployments': { resourceGroup: { type: 'string' }, subscriptionId: { type: 'string' } },
};

// ---------------------------------------------------------------------------------------------------------------
// False alarms. Each is allowed at one exact schema node, which must still be exactly what was published (so a
// changed schema fails loudly instead of being patched blindly); the patch accepts what the published node accepts,
// plus the one thing that is known to be right. The test proves each one is needed (without it, the template fails
// at that node and keyword) and that nothing else fails.

export interface Allowance {
  /** Schema file (relative to test/fixtures/arm-schemas/) and JSON pointer of the schema node. */
  file: string;
  pointer: string;
  /** The keyword that raises the false alarm at that node. */
  keyword: 'enum' | 'maxLength' | 'type' | 'oneOf';
  /** `documented`: one of the two known false alarms (issue 17, ../shared/arm-schemas/README.md); `found`: found by this test. */
  origin: 'documented' | 'found';
  why: string;
  /** The node as published. */
  expected: JsonObject;
  /** The node as checked. */
  patched: JsonObject;
}

const EXPRESSION_PATTERN = '^\\[([^\\[].*)?\\]$';
const EXPRESSION: JsonObject = { $ref: `${SCHEMA_BASE}common/definitions.json#/definitions/expression` };

export const ALLOWANCES: Allowance[] = [
  {
    // Known false alarm 1. Microsoft's documentation and samples write `"expressionEvaluationOptions": { "scope":
    // "inner" }` (learn.microsoft.com, "Using linked and nested templates when deploying Azure resources",
    // "Expression evaluation scope in nested templates"); Resource Manager reads it without regard to case; the
    // schema's enum spells `Inner`. The template keeps the documented spelling (test/infra/armTemplate.ts requires
    // it). Allowed: that one extra spelling, at this node only.
    file: '2022-09-01/Microsoft.Resources.json',
    pointer: '/definitions/ExpressionEvaluationOptions/properties/scope/oneOf/0',
    keyword: 'enum',
    origin: 'documented',
    why: "expressionEvaluationOptions.scope: the docs write 'inner', the enum says 'Inner'",
    expected: { enum: ['NotSpecified', 'Outer', 'Inner'], type: 'string' },
    patched: { enum: ['NotSpecified', 'Outer', 'Inner', 'inner'], type: 'string' },
  },
  {
    // Known false alarm 2. A length constraint applied to the unevaluated expression that computes the name:
    // `[format('{0}/default/{1}', ...)]` is longer than 63 characters as text; Resource Manager checks the evaluated
    // name (and infra/main.json's container names are short literals, see its variables). Allowed: an expression,
    // at this node only; a literal name still gets the published constraints.
    file: '2024-01-01/Microsoft.Storage.json',
    pointer: '/resourceDefinitions/storageAccounts_blobServices_containers/properties/name',
    keyword: 'maxLength',
    origin: 'documented',
    why: 'blob container name: maxLength 63 applied to the unevaluated [format(...)] expression',
    expected: {
      description:
        'The name of the blob container within the specified storage account. Blob container names must be between 3 and 63 characters in length and use numbers, lower-case letters and dash (-) only. Every dash (-) character must be immediately preceded and followed by a letter or number.',
      maxLength: 63,
      minLength: 3,
      type: 'string',
    },
    patched: { anyOf: [{ maxLength: 63, minLength: 3, type: 'string' }, EXPRESSION] },
  },
  // Not in the known list: found by this test, and allowed for the same reason as false alarm 2 (a constraint applied
  // to an unevaluated expression). They are listed apart so a reviewer can decide on them.
  ...(['2019-04-01/deploymentTemplate.json', '2018-05-01/subscriptionDeploymentTemplate.json'] as const).map(
    (file): Allowance => ({
      // The template schemas' resource base types `tags` as an object, so `"tags": "[parameters('tags')]"` fails,
      // although every resource provider schema here accepts an expression for tags (`oneOf: [object, expression]`)
      // and Microsoft's own samples pass tags that way. Allowed: an expression, at this node only.
      file,
      pointer: '/definitions/resourceBase/allOf/1/properties/tags',
      keyword: 'type',
      origin: 'found',
      why: `${file} resourceBase.tags: "type: object" applied to a "[parameters('tags')]" expression`,
      expected: { type: 'object', description: 'Name-value pairs to add to the resource' },
      patched: { oneOf: [{ type: 'object' }, EXPRESSION] },
    }),
  ),
  {
    // A nested deployment's parameter value is `oneOf: [{}, expression]`: `{}` accepts every value, so an expression
    // matches both branches and `oneOf` ("exactly one") fails for every `"value": "[...]"`. The intent is "any value".
    // Allowed: the same two branches as anyOf, at this node only.
    file: '2022-09-01/Microsoft.Resources.json',
    pointer: '/definitions/DeploymentParameter/properties/value',
    keyword: 'oneOf',
    origin: 'found',
    why: 'nested deployment parameter value: oneOf [{}, expression] fails for every expression',
    expected: { description: 'Input value to the parameter .', oneOf: [{}, EXPRESSION] },
    patched: { anyOf: [{}, EXPRESSION] },
  },
];

function pointerGet(root: Json, pointer: string): Json | undefined {
  let node: Json | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function pointerSet(root: JsonObject, pointer: string, value: Json): void {
  const parts = pointer.split('/').slice(1);
  const last = parts.pop() as string;
  const parent = pointerGet(root, parts.length ? `/${parts.join('/')}` : '');
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else if (isObject(parent)) parent[last] = value;
  else throw new Error(`no schema node at ${pointer}`);
}

/** Like JSON equality, with object keys in any order. */
function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return a === b;
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

/** Every schema file of the fixture folder, by path relative to it (`2024-04-01/Microsoft.Web.json`). */
export function loadSchemaFiles(dir = SCHEMA_DIR): Map<string, JsonObject> {
  const files = new Map<string, JsonObject>();
  const visit = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.endsWith('.json')) files.set(relative(dir, full).split(sep).join('/'), JSON.parse(readFileSync(full, 'utf8')) as JsonObject);
    }
  };
  visit(dir);
  return files;
}

const COMPOSITION = ['oneOf', 'anyOf', 'allOf'] as const;

/**
 * Closes the object schemas under `schema`: a schema that lists `properties` and says nothing about
 * `additionalProperties` gets `additionalProperties: false`. A schema whose variants sit beside its properties (an
 * inline `oneOf` of discriminated variants: Event Grid destinations, advanced filters, `sites/config`) stays open
 * itself, and each variant is closed with the parent's properties added to its own, so that a key the parent lists
 * is still allowed. A schema listing `properties` beside a `$ref` variant or an `allOf` is not something these files
 * contain; it is refused rather than guessed at.
 */
export function closeObjects(schema: Json, where: string): void {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => {
      closeObjects(s, `${where}/${i}`);
    });
    return;
  }
  if (!isObject(schema)) return;
  const properties = schema.properties;
  if (isObject(properties) && schema.additionalProperties === undefined) {
    const variants = COMPOSITION.filter((k) => Array.isArray(schema[k]));
    if (variants.length === 0) schema.additionalProperties = false;
    else {
      if (variants.some((k) => k !== 'oneOf' && k !== 'anyOf')) throw new Error(`${where}: properties beside allOf`);
      for (const k of variants) {
        for (const [i, variant] of arr(schema[k], where).entries()) {
          if (!isObject(variant) || variant.$ref !== undefined) throw new Error(`${where}/${k}/${i}: properties beside a $ref variant`);
          if (variant.type !== 'object' && !isObject(variant.properties)) continue;
          const own = isObject(variant.properties) ? variant.properties : {};
          variant.properties = { ...Object.fromEntries(Object.keys(properties).map((p) => [p, {}])), ...own };
        }
      }
    }
  }
  for (const key of Object.keys(schema)) {
    if (
      !(key === 'properties' || key === 'patternProperties' || key === 'definitions' || key === 'resourceDefinitions' || key.endsWith('_resourceDefinitions'))
    )
      continue;
    const map = schema[key];
    if (isObject(map)) for (const [name, s] of Object.entries(map)) closeObjects(s, `${where}/${key}/${name}`);
  }
  for (const key of ['additionalProperties', 'items', 'not', ...COMPOSITION]) {
    if (schema[key] !== undefined) closeObjects(schema[key] as Json, `${where}/${key}`);
  }
}

function resourceSections(file: JsonObject): string[] {
  return Object.keys(file).filter((k) => k === 'resourceDefinitions' || k.endsWith('_resourceDefinitions'));
}

function isTemplateSchema(path: string): boolean {
  return Object.values(TEMPLATE_SCHEMA).includes(path);
}

export interface LoadOptions {
  /** The allowances to apply (default: all of ALLOWANCES); fewer shows the raw alarms. */
  allowances?: readonly Allowance[];
  /** Close the object schemas (default true); false is the published, open behaviour. */
  strict?: boolean;
}

export interface ResourceSchemaRef {
  file: string;
  section: string;
  definition: string;
  ref: string;
}

export class ArmSchemas {
  readonly files: Map<string, JsonObject>;
  private readonly ajv: InstanceType<typeof Ajv04>;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Schema files a validation read (besides common/definitions.json), to prove none is vendored for nothing. */
  readonly used = new Set<string>();

  constructor(options: LoadOptions = {}) {
    const strict = options.strict ?? true;
    const allowances = options.allowances ?? ALLOWANCES;
    this.files = loadSchemaFiles();
    // Template-level keys of a resource, from the template schemas' own resource bases.
    const templateKeys: Record<string, Json> = {};
    for (const path of Object.values(TEMPLATE_SCHEMA)) {
      const template = this.file(path);
      const definitions = obj(template.definitions, `${path} definitions`);
      for (const base of ['ARMResourceBase', 'resourceBase']) {
        const walk = (s: Json): void => {
          if (!isObject(s)) return;
          if (isObject(s.properties)) for (const k of Object.keys(s.properties)) templateKeys[k] = {};
          if (Array.isArray(s.allOf)) s.allOf.forEach(walk);
        };
        walk(obj(definitions[base], base));
      }
      // The catalogue of every resource type of the scope refers to some 800 files that are not vendored: a template
      // is checked against the generic resource base here, and each resource against its own definition below.
      definitions.resource = { $ref: '#/definitions/resourceBase' };
      if (strict) {
        for (const [name, definition] of Object.entries(definitions)) {
          // The resource bases are used in allOf with the resource definitions: they stay open.
          if (!/^(ARMResourceBase|proxyResourceBase|resourceBase|resourceBaseExternal|resource)$/.test(name))
            closeObjects(definition, `${path}#/definitions/${name}`);
        }
      }
    }
    for (const a of allowances) {
      const file = this.file(a.file);
      const node = pointerGet(file, a.pointer);
      if (!sameJson(node, a.expected)) throw new Error(`allowance for ${a.why}: ${a.file}#${a.pointer} is no longer ${JSON.stringify(a.expected)}`);
      pointerSet(file, a.pointer, structuredClone(a.patched));
    }
    for (const [path, file] of this.files) {
      if (isTemplateSchema(path) || path.startsWith('common/')) continue;
      for (const section of resourceSections(file)) {
        for (const [name, definition] of Object.entries(obj(file[section], `${path} ${section}`))) {
          const d = obj(definition, `${path}#/${section}/${name}`);
          if (!strict) continue;
          const type = String(pointerGet(d, '/properties/type/enum/0') ?? '').toLowerCase();
          d.properties = { ...templateKeys, ...(DEPLOYMENT_TARGET_KEYS[type] ?? {}), ...obj(d.properties, 'properties') };
        }
      }
      if (strict) closeObjects(file, path);
    }
    // draft-04 as the schemas declare. `strict: false`: the schemas carry keywords ajv does not know (descriptions
    // aside, none that constrain). `date-time` is only used by properties the template does not set.
    this.ajv = new Ajv04({ allErrors: true, strict: false, validateSchema: false, inlineRefs: false, verbose: true, formats: { 'date-time': true } });
    for (const file of this.files.values()) this.ajv.addSchema(file as object);
  }

  file(path: string): JsonObject {
    const file = this.files.get(path);
    if (!file) throw new Error(`no schema file ${path} in test/fixtures/arm-schemas/`);
    return file;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  /** The definition of a resource type and apiVersion deployable at a scope, or a sentence saying why there is none. */
  findResource(type: string, apiVersion: string, kind: ScopeKind): ResourceSchemaRef | string {
    const section = SECTION[kind];
    const inFolder = [...this.files.keys()].filter((p) => p.startsWith(`${apiVersion}/`) && !isTemplateSchema(p));
    if (inFolder.length === 0)
      return `no schema for apiVersion ${apiVersion} (no ${apiVersion}/ folder): the apiVersion does not exist, or its file is not vendored`;
    for (const file of inFolder) {
      const definitions = this.file(file)[section];
      if (!isObject(definitions)) continue;
      for (const [definition, d] of Object.entries(definitions)) {
        const types = pointerGet(d, '/properties/type/enum');
        const versions = pointerGet(d, '/properties/apiVersion/enum');
        if (
          Array.isArray(types) &&
          types.some((t) => String(t).toLowerCase() === type.toLowerCase()) &&
          Array.isArray(versions) &&
          versions.includes(apiVersion)
        ) {
          return { file, section, definition, ref: `${SCHEMA_BASE}${file}#/${section}/${definition}` };
        }
      }
    }
    return `no definition of ${type} at apiVersion ${apiVersion} deployable at ${kind} scope (${section} of ${inFolder.join(', ')})`;
  }

  validateTemplate(template: Json, kind: ScopeKind): SchemaError[] {
    this.used.add(TEMPLATE_SCHEMA[kind]);
    const validate = this.validator(`${SCHEMA_BASE}${TEMPLATE_SCHEMA[kind]}`);
    return validate(template) ? [] : describeErrors(validate.errors ?? []);
  }

  validateResource(resource: JsonObject, kind: ScopeKind): SchemaError[] {
    const found = this.findResource(String(resource.type), String(resource.apiVersion), kind);
    if (typeof found === 'string') return [{ instancePath: '', schemaPath: '', keyword: 'apiVersion', message: found, expressionBranch: false }];
    return this.validateAgainst(resource, found, kind);
  }

  /** A resource against a given definition, with the template's resource base of the scope. */
  validateAgainst(resource: JsonObject, found: ResourceSchemaRef, kind: ScopeKind): SchemaError[] {
    this.used.add(found.file);
    this.used.add(TEMPLATE_SCHEMA[kind]);
    const key = `${kind} ${found.ref}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ allOf: [{ $ref: `${SCHEMA_BASE}${TEMPLATE_SCHEMA[kind]}#/definitions/resourceBase` }, { $ref: found.ref }] });
      this.compiled.set(key, validate);
    }
    return validate(resource) ? [] : describeErrors(validate.errors ?? []);
  }

  /** Whether the subscription template schema's catalogue lists a definition (it lists every subscription-scope type). */
  subscriptionCatalogueLists(ref: string): boolean {
    const template = JSON.parse(readFileSync(join(SCHEMA_DIR, TEMPLATE_SCHEMA.subscription), 'utf8')) as JsonObject;
    const variants = pointerGet(template, '/definitions/resource/allOf/1/oneOf');
    return Array.isArray(variants) && variants.some((v) => isObject(v) && v.$ref === ref);
  }
}

export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message: string;
  /** The error is the expression alternative (common/definitions.json#/definitions/expression) not matching. */
  expressionBranch: boolean;
}

function describeErrors(errors: ErrorObject[]): SchemaError[] {
  return errors.map((e) => {
    const parent = e.parentSchema as JsonObject | undefined;
    const params = e.params as { additionalProperty?: string; allowedValues?: unknown };
    let message = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') message += `: ${String(params.additionalProperty)}`;
    if (e.keyword === 'enum') message += `: ${JSON.stringify(params.allowedValues)}`;
    return {
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      keyword: e.keyword,
      message,
      expressionBranch: parent !== undefined && parent.pattern === EXPRESSION_PATTERN && parent.type === 'string',
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The template's scopes

export interface CheckedScope {
  scope: Scope;
  kind: ScopeKind;
}

/**
 * The scope each template is deployed at. infra/main.json is deployed with `az deployment sub create`
 * (infra/deploy.sh): a subscription. A nested deployment with `resourceGroup` deploys to that resource group; one
 * with only `subscriptionId` (or neither) in a subscription-scope template, to that subscription.
 */
export function scopeKinds(template: JsonObject): CheckedScope[] {
  const kinds = new Map<Scope, ScopeKind>();
  return scopes(template).map((scope) => {
    let kind: ScopeKind;
    if (scope.parent === null || scope.deployment === null) kind = 'subscription';
    else if (scope.deployment.resourceGroup !== undefined) kind = 'resourceGroup';
    else kind = kinds.get(scope.parent) as ScopeKind;
    kinds.set(scope, kind);
    return { scope, kind };
  });
}

/** Every error of the template: each template against its scope's schema, each resource against its type's. */
export function checkTemplate(schemas: ArmSchemas, template: JsonObject): string[] {
  const problems: string[] = [];
  for (const { scope, kind } of scopeKinds(template)) {
    for (const e of schemas.validateTemplate(scope.template, kind))
      problems.push(`${scope.path} (template, ${kind}): ${e.instancePath || '/'} ${e.message} [${e.schemaPath}]`);
    arr(scope.template.resources ?? [], `${scope.path}.resources`).forEach((r, i) => {
      const resource = obj(r, 'resource');
      for (const e of schemas.validateResource(resource, kind)) {
        problems.push(
          `${scope.path} resources[${i}] ${String(resource.type)}@${String(resource.apiVersion)}: ${e.instancePath || '/'} ${e.message} [${e.schemaPath}]`,
        );
      }
    });
  }
  return problems;
}
