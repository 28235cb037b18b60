import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alertSchedule, loadAlertSettings } from '../../core/alerts/alertSettings.js';
import { APP_SETTINGS, loadSettings } from '../../core/runtime/config.js';
import { SWEEP_QUEUE_CONNECTION } from '../../core/queue/sweepQueue.js';
import { HANDLED_EVENT_TYPES, HANDLED_OPERATIONS } from '../../core/events/operations.js';
import { DEFAULT_EDITION_ID, listEditions } from '../../core/matrix/editions/index.js';
import { functionAppOptions } from '../../scripts/buildOptions.mjs';
import {
  ARM_FUNCTIONS,
  arr,
  describeExpr,
  evaluate,
  evaluateExpr,
  isExpression,
  isListFunction,
  isObject,
  literalCalls,
  loadTemplate,
  looksLikeBrokenExpression,
  obj,
  ownStrings,
  parseExpression,
  resolveScopeParameters,
  resourcesOfType,
  scopes,
  str,
  walkExpr,
  type AzureFacts,
  type Expr,
  type FoundResource,
  type Json,
  type JsonObject,
  type Scope,
} from './armTemplate.js';

/**
 * infra/main.json against the code it deploys. Nothing here reaches Azure: what is checked is what a template
 * decides by itself — its structure, its expressions, the settings, roles, filters and wiring it writes — with the
 * few values only Azure knows (ids, endpoints, principal ids) replaced by stand-ins.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const template = loadTemplate();
const allScopes = scopes(template);

/** The role definition ids as Microsoft documents them (Azure built-in roles, learn.microsoft.com / MicrosoftDocs/azure-docs). */
const DOCUMENTED_ROLES: Record<string, string> = {
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Backup Reader': 'a795c7a0-d4a2-40c1-ae25-d81f01202912',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
};
/**
 * When each Node.js version leaves Azure Functions support (learn.microsoft.com, "Supported languages in Azure
 * Functions" and "Azure Functions language runtime support policy": a version is supported until its community
 * end of life, 30 April two years after release). Data, so a retired version fails the test on the day it retires.
 */
const FUNCTIONS_NODE_SUPPORT_ENDS: Record<string, string> = { '18': '2025-04-30', '20': '2026-04-30', '22': '2027-04-30', '24': '2028-04-30' };

function nodeSupportProblem(version: string, now: Date): string | null {
  const ends = FUNCTIONS_NODE_SUPPORT_ENDS[version];
  if (!ends) return `Node.js ${version} is not a version Azure Functions supports (${Object.keys(FUNCTIONS_NODE_SUPPORT_ENDS).join(', ')})`;
  return now.getTime() > Date.parse(`${ends}T23:59:59Z`) ? `Node.js ${version} left Azure Functions support on ${ends}: deploy a newer one` : null;
}

/** Roles that would break least privilege: none of them may appear anywhere in the template. */
const BROAD_ROLES = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
};

/** Settings read in core/alerts (kept apart from APP_SETTINGS, see core/runtime/config.ts). */
const ALERT_SETTINGS = ['ALERT_DESTINATIONS', 'ALERT_SCHEDULE', 'ALERT_DOCS_BASE_URL'];
/** Settings the code reads that the deployment leaves unset on purpose, and why. */
const DELIBERATELY_UNSET: Record<string, string> = {
  FINDINGS_STORAGE: 'the connection-string alternative to FINDINGS_STORAGE__tableServiceUri; it carries an account key, and when set it wins',
};

// ---------------------------------------------------------------------------------------------------------------
// Stand-ins for what only Azure knows, and a resolver that follows a nested deployment's outputs into its template

const TARGET_SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = '99999999-8888-7777-6666-555555555555';
const TOKEN = 'abcdefghijklm';

function scopeOf(path: string): Scope {
  const scope = allScopes.find((s) => s.path === path);
  if (!scope) throw new Error(`no scope ${path}`);
  return scope;
}

function azureFacts(mainValues: Record<string, Json>): AzureFacts {
  const facts: AzureFacts = (expr) => {
    const text = describeExpr(expr);
    if (text === 'deployment().location') return 'westeurope';
    if (text === 'subscription().subscriptionId') return TARGET_SUBSCRIPTION;
    if (text === 'subscription().id') return `/subscriptions/${TARGET_SUBSCRIPTION}`;
    if (text === 'subscription().tenantId') return '00000000-0000-0000-0000-0000000000aa';
    if (text === 'environment().resourceManager') return 'https://management.azure.com/';
    if (expr.kind === 'call' && expr.name === 'uniqueString') return TOKEN;
    if (expr.kind === 'call' && /^(resourceId|subscriptionResourceId)$/.test(expr.name)) {
      return `(resource id of ${expr.args.map((a) => (a.kind === 'string' ? a.value : '…')).join(' ')})`;
    }
    // A nested deployment's output: evaluate that output inside the nested template.
    const output = deploymentOutput(expr);
    if (output) return output;
    // reference(<resource>, <apiVersion>).<property>: the runtime properties of a resource.
    if (expr.kind === 'property' && expr.target.kind === 'call' && expr.target.name === 'reference') {
      const runtime: Record<string, string> = {
        principalId: '(principal id)',
        clientId: CLIENT_ID,
        ConnectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
        vaultUri: `https://kv${TOKEN}.vault.azure.net/`,
        defaultHostName: `func-vmbg-${TOKEN}.azurewebsites.net`,
      };
      if (expr.name in runtime) return runtime[expr.name];
    }
    if (text.endsWith('.primaryEndpoints.table')) return `https://st${TOKEN}.table.core.windows.net/`;
    if (text.endsWith('.primaryEndpoints.blob')) return `https://st${TOKEN}.blob.core.windows.net/`;
    if (text.endsWith('.primaryEndpoints.queue')) return `https://st${TOKEN}.queue.core.windows.net/`;
    return undefined;
  };
  /** `reference(resourceId(..., 'Microsoft.Resources/deployments', <name>), ...).outputs.<x>.value` */
  const deploymentOutput = (expr: Expr): Json | undefined => {
    if (expr.kind !== 'property' || expr.name !== 'value') return undefined;
    const outputName = expr.target.kind === 'property' ? expr.target.name : null;
    const outputs = expr.target.kind === 'property' ? expr.target.target : null;
    if (!outputName || outputs?.kind !== 'property' || outputs.name !== 'outputs' || outputs.target.kind !== 'call' || outputs.target.name !== 'reference')
      return undefined;
    const id = outputs.target.args[0];
    if (id?.kind !== 'call' || id.name !== 'resourceId' || !id.args.some((a) => a.kind === 'string' && a.value === 'Microsoft.Resources/deployments'))
      return undefined;
    const nameText = describeExpr(id.args[id.args.length - 1] as Expr);
    const child = allScopes.find(
      (s) => s.deployment && isExpression(String(s.deployment.name)) && describeExpr(parseExpression(String(s.deployment.name))) === nameText,
    );
    if (!child) throw new Error(`reference to a deployment this template does not have: ${nameText}`);
    const spec = obj(obj(child.template.outputs, `${child.path}.outputs`)[outputName], `output ${outputName} of ${child.path}`);
    return evaluate(spec.value as Json, { scope: child, parameters: resolveScopeParameters(child, mainValues, facts), azure: facts });
  };
  return facts;
}

function parametersOf(scope: Scope, mainValues: Record<string, Json> = {}): Record<string, Json> {
  return resolveScopeParameters(scope, mainValues, azureFacts(mainValues));
}

function valueIn(scope: Scope, value: Json, mainValues: Record<string, Json> = {}): Json {
  return evaluate(value, { scope, parameters: parametersOf(scope, mainValues), azure: azureFacts(mainValues) });
}

function single(found: FoundResource[], what: string): FoundResource {
  expect(found, what).toHaveLength(1);
  return found[0] as FoundResource;
}

const site = single(resourcesOfType(template, 'Microsoft.Web/sites'), 'one Function App');
const siteProperties = obj(site.resource.properties, 'site properties');
const appSettings = arr(obj(siteProperties.siteConfig, 'siteConfig').appSettings, 'appSettings').map((s) => {
  const setting = obj(s, 'app setting');
  return { name: str(setting.name, 'app setting name'), value: str(setting.value, 'app setting value') };
});

function appSettingValues(mainValues: Record<string, Json> = {}): Record<string, string> {
  return Object.fromEntries(appSettings.map((s) => [s.name, String(valueIn(site.scope, s.value, mainValues))]));
}

/** Every `process.env.X`, `env.X` and `env['X']` in the code the Function App runs. */
function settingsReadInCode(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const source = readFileSync(path, 'utf8');
        for (const m of source.matchAll(/\benv\.([A-Z][A-Za-z0-9_]*)|\benv\[['"]([A-Z][A-Za-z0-9_]*)['"]\]/g)) names.add((m[1] ?? m[2]) as string);
      }
    }
  };
  walk(join(ROOT, 'core'));
  walk(join(ROOT, 'functions'));
  return names;
}

// ---------------------------------------------------------------------------------------------------------------

describe('infra/main.json: an ARM template', () => {
  it('parses as JSON: a subscription-scope template with the documented parameters and nested deployments', () => {
    expect(template.$schema).toBe('https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#');
    expect(template.contentVersion).toBe('1.0.0.0');
    const parameters = obj(template.parameters, 'parameters');
    for (const name of ['location', 'namePrefix', 'targetSubscriptions', 'matrixEdition', 'sweepSchedule', 'sweepMaxAgeHours', 'alertSchedule']) {
      expect(Object.keys(parameters), name).toContain(name);
    }
    expect(obj(parameters.targetSubscriptions, 'targetSubscriptions').type).toBe('array');
    expect(obj(parameters.sweepSchedule, 'sweepSchedule').defaultValue).toBe('0 */30 * * * *');
    // main → the app's resource group; main → each target subscription → its events resource group
    expect(allScopes.map((s) => s.path.split(' > ').length)).toEqual([1, 2, 2, 3]);
    single(
      resourcesOfType(template, 'Microsoft.Resources/resourceGroups').filter((r) => r.scope.parent === null),
      'the app resource group',
    );
    const schemas = allScopes.map((s) => s.template.$schema);
    expect(schemas).toEqual([
      'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    ]);
  });

  it('creates what the issue asks for, each once', () => {
    const count = (type: string) => resourcesOfType(template, type).length;
    expect(count('Microsoft.Storage/storageAccounts')).toBe(1);
    expect(count('Microsoft.Web/serverfarms')).toBe(1);
    expect(count('Microsoft.Web/sites')).toBe(1);
    expect(count('Microsoft.Insights/components')).toBe(1);
    expect(count('Microsoft.OperationalInsights/workspaces')).toBe(1);
    expect(count('Microsoft.KeyVault/vaults')).toBe(1);
    expect(count('Microsoft.ManagedIdentity/userAssignedIdentities')).toBe(2);
    expect(count('Microsoft.EventGrid/systemTopics')).toBe(1);
    expect(count('Microsoft.EventGrid/systemTopics/eventSubscriptions')).toBe(1);
  });

  it('has balanced, well-formed expressions everywhere (brackets, parentheses, quotes)', () => {
    const problems: string[] = [];
    for (const scope of allScopes) {
      for (const { path, value } of ownStrings(scope)) {
        if (looksLikeBrokenExpression(value)) problems.push(`${path}: starts with [ but does not end with ]: ${value}`);
        else if (isExpression(value)) {
          try {
            parseExpression(value);
          } catch (error) {
            problems.push(`${path}: ${(error as Error).message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The parser itself refuses what ARM would refuse.
    for (const broken of ["[concat('a', 'b']", "[format('{0}', parameters('x')))]", "[parameters('x)]", "[resourceId('a', 'b'),]"]) {
      expect(() => parseExpression(broken), broken).toThrow(SyntaxError);
    }
  });

  it('calls only ARM template functions, and no list*() function that would copy a secret into the deployment', () => {
    const problems: string[] = [];
    for (const scope of allScopes) {
      for (const { path, value } of ownStrings(scope)) {
        if (!isExpression(value)) continue;
        walkExpr(parseExpression(value), (e) => {
          if (e.kind !== 'call') return;
          if (isListFunction(e.name)) problems.push(`${path}: ${e.name}() reads secrets`);
          else if (!ARM_FUNCTIONS.has(e.name.toLowerCase())) problems.push(`${path}: ${e.name}() is not an ARM template function`);
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('refers only to parameters and variables its scope declares, and passes every nested template exactly its parameters', () => {
    const problems: string[] = [];
    for (const scope of allScopes) {
      const parameters = Object.keys(obj(scope.template.parameters ?? {}, 'parameters'));
      const variables = Object.keys(obj(scope.template.variables ?? {}, 'variables'));
      for (const { path, value, inCopyLoop } of ownStrings(scope)) {
        if (!isExpression(value)) continue;
        const expr = parseExpression(value);
        for (const p of literalCalls(expr, 'parameters'))
          if (!parameters.includes(p)) problems.push(`${path}: parameters('${p}') is not declared in ${scope.path}`);
        for (const v of literalCalls(expr, 'variables'))
          if (!variables.includes(v)) problems.push(`${path}: variables('${v}') is not declared in ${scope.path}`);
        let usesCopyIndex = false;
        walkExpr(expr, (e) => (usesCopyIndex ||= e.kind === 'call' && e.name === 'copyIndex'));
        if (usesCopyIndex && !inCopyLoop) problems.push(`${path}: copyIndex() outside a copy loop`);
      }
      if (scope.deployment) {
        const passed = Object.keys(obj(obj(scope.deployment.properties, 'properties').parameters ?? {}, 'parameters'));
        const declared = obj(scope.template.parameters ?? {}, 'parameters');
        for (const name of passed) if (!(name in declared)) problems.push(`${scope.path}: passed parameter ${name} is not declared`);
        for (const [name, spec] of Object.entries(declared)) {
          if (!passed.includes(name) && obj(spec, name).defaultValue === undefined) problems.push(`${scope.path}: parameter ${name} is never given a value`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('depends only on resources of the same template', () => {
    const problems: string[] = [];
    for (const scope of allScopes) {
      const resources = arr(scope.template.resources ?? [], 'resources').map((r) => obj(r, 'resource'));
      const types = new Set(resources.map((r) => String(r.type).toLowerCase()));
      const variables = obj(scope.template.variables ?? {}, 'variables');
      const typesIn = (value: string): string[] => {
        const found: string[] = [];
        walkExpr(parseExpression(value), (e) => {
          if (e.kind === 'string' && /^Microsoft\.[A-Za-z]+\/[A-Za-z/]+$/.test(e.value)) found.push(e.value);
          if (e.kind === 'call' && e.name === 'variables' && e.args[0]?.kind === 'string') {
            const v = variables[e.args[0].value];
            if (typeof v === 'string' && isExpression(v)) found.push(...typesIn(v));
          }
        });
        return found;
      };
      for (const resource of resources) {
        for (const dependency of arr(resource.dependsOn ?? [], 'dependsOn')) {
          const text = str(dependency, 'dependsOn entry');
          const type = typesIn(text).at(-1);
          if (!type || !types.has(type.toLowerCase()))
            problems.push(`${scope.path} ${String(resource.type)}: dependsOn ${text} names no resource of this template`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the alert destinations secret: a secure parameter, in no output', () => {
    for (const scope of allScopes.slice(0, 2)) {
      expect(obj(obj(scope.template.parameters, 'parameters').alertDestinations, 'alertDestinations').type).toBe('securestring');
    }
    for (const scope of allScopes) {
      expect(JSON.stringify(scope.template.outputs ?? {}), scope.path).not.toMatch(/alertDestinations'/);
    }
  });
});

describe('infra/main.json: the Function App', () => {
  it('runs on Linux, Flex Consumption, Node 22, from a deployment container, as the user-assigned identity', () => {
    const plan = single(resourcesOfType(template, 'Microsoft.Web/serverfarms'), 'plan');
    expect(plan.resource.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
    expect(obj(plan.resource.properties, 'plan properties').reserved).toBe(true);
    expect(site.resource.kind).toBe('functionapp,linux');
    const config = obj(siteProperties.functionAppConfig, 'functionAppConfig');
    expect(config.runtime).toEqual({ name: 'node', version: '22' });
    // The bundle is built for the Node it runs on (scripts/buildOptions.mjs reads the template).
    expect(functionAppOptions().target).toBe(`node${str(obj(config.runtime, 'runtime').version, 'version')}`);
    const storage = obj(obj(config.deployment, 'deployment').storage, 'deployment storage');
    expect(storage.type).toBe('blobContainer');
    expect(valueIn(site.scope, str(storage.value, 'deployment storage value'))).toBe(`https://st${TOKEN}.blob.core.windows.net/app-package`);
    const containers = resourcesOfType(template, 'Microsoft.Storage/storageAccounts/blobServices/containers').map((c) =>
      String(valueIn(c.scope, str(c.resource.name, 'container name'))),
    );
    expect(containers).toContain(`stvmbg${TOKEN}/default/app-package`);
    expect(storage.authentication).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: "[variables('identityId')]" });
    const identity = obj(site.resource.identity, 'site identity');
    expect(identity.type).toBe('UserAssigned');
    expect(Object.keys(obj(identity.userAssignedIdentities, 'userAssignedIdentities'))).toEqual(["[variables('identityId')]"]);
    expect(siteProperties.keyVaultReferenceIdentity).toBe("[variables('identityId')]");
    expect(obj(site.scope.template.variables, 'variables').identityId).toBe(
      "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('identityName'))]",
    );
    expect(siteProperties.httpsOnly).toBe(true);
  });

  it('is found by azd deploy (tag azd-service-name: api, the service in azure.yaml)', () => {
    expect(valueIn(site.scope, str(site.resource.tags, 'tags'))).toMatchObject({ 'azd-service-name': 'api' });
    const yaml = readFileSync(join(ROOT, 'azure.yaml'), 'utf8');
    expect(yaml).toMatch(/^services:\n {2}api:\n/m);
    expect(yaml).toMatch(/^ {4}language: ts$/m);
    expect(yaml).toMatch(/^ {4}host: function$/m);
    expect(yaml).toMatch(/^ {4}project: \.$/m);
    expect(yaml).toMatch(/^ {2}path: infra$/m);
    expect(yaml).toMatch(/npm ci && npm run build/);
  });

  it('sets every setting the code reads: APP_SETTINGS, the alert settings, and any env read in core/ and functions/', () => {
    const set = new Set(appSettings.map((s) => s.name));
    const expected = new Set([...APP_SETTINGS, ...ALERT_SETTINGS, ...settingsReadInCode()]);
    expect(APP_SETTINGS.length).toBeGreaterThan(5);
    expect([...settingsReadInCode()]).toEqual(expect.arrayContaining(ALERT_SETTINGS));
    const missing = [...expected].filter((name) => !set.has(name) && !(name in DELIBERATELY_UNSET));
    expect(missing).toEqual([]);
    for (const name of Object.keys(DELIBERATELY_UNSET)) expect(set.has(name), `${name} must stay unset: ${DELIBERATELY_UNSET[name]}`).toBe(false);
    // No setting twice (App Service would keep one of them silently).
    expect(appSettings.length).toBe(set.size);
  });

  it('connects the host to storage with the identity, through the account’s own endpoints (any cloud), credential, clientId', () => {
    const values = appSettingValues();
    // __accountName builds public-cloud host names (Microsoft documents it as such): the service URIs come from the
    // account's primaryEndpoints, so a sovereign cloud's storage suffix is used there.
    expect(values.AzureWebJobsStorage__accountName).toBeUndefined();
    expect(values.AzureWebJobsStorage__blobServiceUri).toBe(`https://st${TOKEN}.blob.core.windows.net/`);
    expect(values.AzureWebJobsStorage__queueServiceUri).toBe(`https://st${TOKEN}.queue.core.windows.net/`);
    expect(values.AzureWebJobsStorage__tableServiceUri).toBe(`https://st${TOKEN}.table.core.windows.net/`);
    expect(values.AzureWebJobsStorage__credential).toBe('managedidentity');
    expect(values.AzureWebJobsStorage__clientId).toBe(CLIENT_ID);
    expect(values.AZURE_CLIENT_ID).toBe(CLIENT_ID);
    expect(values.FINDINGS_STORAGE__tableServiceUri).toBe(`https://st${TOKEN}.table.core.windows.net/`);
    // The sweep's work queue: the code sends with FINDINGS_STORAGE__queueServiceUri; the host's sweepWorker trigger
    // (connection FINDINGS_STORAGE) receives with the same URI, the same user-assigned identity.
    expect(values[`${SWEEP_QUEUE_CONNECTION}__queueServiceUri`]).toBe(`https://st${TOKEN}.queue.core.windows.net/`);
    expect(values[`${SWEEP_QUEUE_CONNECTION}__credential`]).toBe('managedidentity');
    expect(values[`${SWEEP_QUEUE_CONNECTION}__clientId`]).toBe(CLIENT_ID);
    expect(values.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(`ClientId=${CLIENT_ID};Authorization=AAD`);
    expect(appSettings.some((s) => s.name === 'AzureWebJobsStorage')).toBe(false);
    // Flex Consumption sets the runtime in functionAppConfig; these settings are not used there.
    for (const name of [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTSHARE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'WEBSITE_NODE_DEFAULT_VERSION',
    ]) {
      expect(
        appSettings.some((s) => s.name === name),
        name,
      ).toBe(false);
    }
  });

  it('holds no account key and no connection string with a key in any app setting', () => {
    const keyed = /AccountKey=|SharedAccessKey=|SharedAccessSignature=|[?&]sig=|DefaultEndpointsProtocol=/i;
    const values = appSettingValues();
    for (const { name, value } of appSettings) {
      expect(value, name).not.toMatch(keyed);
      expect(values[name], name).not.toMatch(keyed);
      if (isExpression(value))
        walkExpr(parseExpression(value), (e) => expect(e.kind === 'call' && isListFunction(e.name), `${name} calls a list*() function`).toBe(false));
      if (/connection_?string/i.test(name)) {
        // The only connection string: Application Insights', whose instrumentation key is an identifier, not a
        // secret, while local authentication is off (ingestion then needs the Entra token of the identity).
        expect(name).toBe('APPLICATIONINSIGHTS_CONNECTION_STRING');
      }
    }
    const insights = single(resourcesOfType(template, 'Microsoft.Insights/components'), 'Application Insights');
    expect(obj(insights.resource.properties, 'properties').DisableLocalAuth).toBe(true);
    const storage = single(resourcesOfType(template, 'Microsoft.Storage/storageAccounts'), 'storage');
    expect(obj(storage.resource.properties, 'properties')).toMatchObject({
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
  });

  it('writes settings that pass the code’s own validation (loadSettings, alertSchedule, loadAlertSettings)', () => {
    for (const mainValues of [
      {},
      { matrixEdition: '2019-02', sweepMaxAgeHours: 6, alertDocsBaseUrl: 'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/' },
    ] as Record<string, Json>[]) {
      const env = appSettingValues(mainValues);
      const settings = loadSettings(env);
      expect(settings.storage).toEqual({
        kind: 'identity',
        tableServiceUri: `https://st${TOKEN}.table.core.windows.net/`,
        queueServiceUri: `https://st${TOKEN}.queue.core.windows.net/`,
      });
      expect(settings.edition.id).toBe(mainValues.matrixEdition ?? DEFAULT_EDITION_ID);
      expect(settings.armEndpoint).toBe('https://management.azure.com');
      expect(settings.sweep.subscriptions).toEqual([TARGET_SUBSCRIPTION]);
      expect(settings.sweep.maxAgeMs).toBe(Number(mainValues.sweepMaxAgeHours ?? 24) * 3_600_000);
      expect(settings.findingsTable).toBe('vmbackupguardfindings');
      expect(alertSchedule(env)).toEqual({ schedule: '0 */1 * * * *', problem: null });
      expect(env.SWEEP_SCHEDULE).toBe('0 */30 * * * *');
      expect(alertSchedule({ ALERT_SCHEDULE: env.SWEEP_SCHEDULE }).problem).toBeNull();
      // In Azure the platform replaces the reference with the secret's value (deploy.sh creates it as []).
      expect(env.ALERT_DESTINATIONS).toBe(`@Microsoft.KeyVault(SecretUri=https://kv${TOKEN}.vault.azure.net/secrets/alert-destinations/)`);
      expect(loadAlertSettings({ ...env, ALERT_DESTINATIONS: '[]' }).docsBaseUrl).toBe((mainValues.alertDocsBaseUrl as string | undefined) ?? 'docs/rules/');
    }
    // Two subscriptions become SWEEP_SUBSCRIPTIONS as the code parses it.
    const two = ['aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002'];
    expect(loadSettings(appSettingValues({ targetSubscriptions: two })).sweep.subscriptions).toEqual(two);
  });

  it('offers exactly the matrix editions the code has, defaulting to the code’s default', () => {
    const spec = obj(obj(template.parameters, 'parameters').matrixEdition, 'matrixEdition');
    expect([...arr(spec.allowedValues, 'allowedValues')].sort()).toEqual(
      listEditions()
        .map((e) => e.id)
        .sort(),
    );
    expect(spec.defaultValue).toBe(DEFAULT_EDITION_ID);
  });

  it('reads ALERT_DESTINATIONS through a Key Vault reference, with the identity that holds Key Vault Secrets User on that vault', () => {
    const setting = appSettings.find((s) => s.name === 'ALERT_DESTINATIONS');
    expect(setting?.value).toMatch(/^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}secrets\/\{1\}\/\)'/);
    const vault = single(resourcesOfType(template, 'Microsoft.KeyVault/vaults'), 'vault');
    expect(obj(vault.resource.properties, 'vault properties').enableRbacAuthorization).toBe(true);
    const secretsUser = resourcesOfType(template, 'Microsoft.Authorization/roleAssignments').filter((r) =>
      String(obj(r.resource.properties, 'p').description).startsWith('Key Vault Secrets User:'),
    );
    expect(secretsUser).toHaveLength(1);
    const assignment = secretsUser[0] as FoundResource;
    expect(assignment.resource.scope).toBe("[format('Microsoft.KeyVault/vaults/{0}', variables('keyVaultName'))]");
    expect(obj(assignment.resource.properties, 'p').principalId).toBe("[reference(variables('identityId'), '2023-01-31').principalId]");
  });
});

describe('infra/main.json: least privilege', () => {
  const assignments = resourcesOfType(template, 'Microsoft.Authorization/roleAssignments').map(({ resource, scope }) => {
    const properties = obj(resource.properties, 'role assignment properties');
    const description = str(properties.description, 'description');
    const role = description.slice(0, description.indexOf(':'));
    const roleDefinition = parseExpression(str(properties.roleDefinitionId, 'roleDefinitionId'));
    return { scope, role, resource, properties, roleDefinition };
  });

  it('gives each role assignment the documented role definition GUID of the role it is for', () => {
    expect(assignments.length).toBe(8);
    for (const { role, roleDefinition, properties, resource } of assignments) {
      expect(Object.keys(DOCUMENTED_ROLES), role).toContain(role);
      // subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '<guid>'): the id ends with /<guid>
      expect(roleDefinition.kind === 'call' && roleDefinition.name, role).toBe('subscriptionResourceId');
      const args = roleDefinition.kind === 'call' ? roleDefinition.args : [];
      expect(args.map((a) => (a.kind === 'string' ? a.value : describeExpr(a)))).toEqual(['Microsoft.Authorization/roleDefinitions', DOCUMENTED_ROLES[role]]);
      expect(properties.principalType).toBe('ServicePrincipal');
      // The assignment's name is seeded with the same role, so redeployments update it rather than add another.
      expect(str(resource.name, 'name'), role).toContain(`'${DOCUMENTED_ROLES[role]}'`);
    }
    const text = JSON.stringify(template);
    for (const [role, guid] of Object.entries(BROAD_ROLES)) expect(text, role).not.toContain(guid);
  });

  it('assigns exactly these roles, at these scopes, to these identities', () => {
    const summary = assignments
      .map(({ scope, role, resource, properties }) => {
        const at =
          resource.scope === undefined
            ? scope.path.split(' > ').length === 2
              ? 'target subscription'
              : scope.path
            : String(valueIn(scope, str(resource.scope, 'scope')));
        const who = String(properties.principalId).includes('eventGridIdentityId') ? 'Event Grid identity' : 'app identity';
        return `${role} | ${at} | ${who}`;
      })
      .sort();
    expect(summary).toEqual(
      [
        `Backup Reader | target subscription | app identity`,
        `Key Vault Secrets User | Microsoft.KeyVault/vaults/kvvmbg${TOKEN} | app identity`,
        `Monitoring Metrics Publisher | Microsoft.Insights/components/appi-vmbg-${TOKEN} | app identity`,
        `Reader | target subscription | app identity`,
        `Storage Blob Data Contributor | Microsoft.Storage/storageAccounts/stvmbg${TOKEN}/blobServices/default/containers/eventgrid-deadletter | Event Grid identity`,
        `Storage Blob Data Owner | Microsoft.Storage/storageAccounts/stvmbg${TOKEN} | app identity`,
        `Storage Queue Data Contributor | Microsoft.Storage/storageAccounts/stvmbg${TOKEN} | app identity`,
        `Storage Table Data Contributor | Microsoft.Storage/storageAccounts/stvmbg${TOKEN} | app identity`,
      ].sort(),
    );
    // The subscription roles go to the app identity's principal, as the app deployment reports it.
    const target = scopeOf(allScopes[2]?.path as string);
    expect(parametersOf(target).principalId).toBe('(principal id)');
  });
});

describe('infra/main.json: Event Grid', () => {
  const eventSubscription = single(resourcesOfType(template, 'Microsoft.EventGrid/systemTopics/eventSubscriptions'), 'event subscription');
  const properties = obj(eventSubscription.resource.properties, 'event subscription properties');
  const filter = obj(properties.filter, 'filter');
  const advancedFilters = arr(filter.advancedFilters, 'advancedFilters').map((f) => obj(f, 'advanced filter'));

  it('deploys into every target subscription', () => {
    const targets = resourcesOfType(template, 'Microsoft.Resources/deployments').filter((d) => d.resource.subscriptionId !== undefined);
    const loop = single(targets, 'the per-subscription deployment');
    expect(loop.resource.copy).toEqual({ name: 'targetSubscriptions', count: "[length(parameters('targetSubscriptions'))]" });
    expect(loop.resource.subscriptionId).toBe("[parameters('targetSubscriptions')[copyIndex()]]");
  });

  it('listens to the subscription: a Microsoft.Resources.Subscriptions system topic, with the Event Grid identity', () => {
    const topic = single(resourcesOfType(template, 'Microsoft.EventGrid/systemTopics'), 'system topic');
    expect(topic.resource.location).toBe('global');
    expect(topic.resource.properties).toEqual({ source: '[subscription().id]', topicType: 'Microsoft.Resources.Subscriptions' });
    const identity = obj(topic.resource.identity, 'topic identity');
    expect(identity.type).toBe('UserAssigned');
    const [identityKey] = Object.keys(obj(identity.userAssignedIdentities, 'userAssignedIdentities'));
    expect(valueIn(topic.scope, identityKey as string)).toBe('(resource id of Microsoft.ManagedIdentity/userAssignedIdentities …)');
    expect(String(valueIn(topic.scope, identityKey as string))).toBe(String(valueIn(topic.scope, "[parameters('eventGridIdentityId')]")));
  });

  it('delivers to the vmChanged function', () => {
    const destination = obj(properties.destination, 'destination');
    expect(destination.endpointType).toBe('AzureFunction');
    const resourceId = String(valueIn(eventSubscription.scope, obj(destination.properties, 'destination properties').resourceId as Json));
    expect(resourceId).toBe('(resource id of Microsoft.Web/sites …)/functions/vmChanged');
    const registered = /app\.eventGrid\('([A-Za-z0-9]+)'/.exec(readFileSync(join(ROOT, 'functions/vmChanged.ts'), 'utf8'))?.[1];
    expect(resourceId.endsWith(`/functions/${registered}`)).toBe(true);
    // ...of this template's Function App.
    const output = obj(obj(site.scope.template.outputs, 'outputs').vmChangedFunctionId, 'vmChangedFunctionId');
    expect(output.value).toBe("[format('{0}/functions/vmChanged', variables('functionAppId'))]");
    expect(obj(site.scope.template.variables, 'variables').functionAppId).toBe("[resourceId('Microsoft.Web/sites', variables('functionAppName'))]");
    expect(site.resource.name).toBe("[variables('functionAppName')]");
  });

  it('subscribes to exactly HANDLED_EVENT_TYPES', () => {
    const types = arr(filter.includedEventTypes, 'includedEventTypes');
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
  });

  it('filters data.operationName with StringIn on exactly HANDLED_OPERATIONS, within Event Grid’s 25 values', () => {
    expect(advancedFilters).toHaveLength(1);
    const [stringIn] = advancedFilters as [JsonObject];
    expect(stringIn.operatorType).toBe('StringIn');
    expect(stringIn.key).toBe('data.operationName');
    const values = arr(stringIn.values, 'values').map((v) => str(v, 'value'));
    expect(new Set(values).size).toBe(values.length);
    expect([...values].sort()).toEqual([...HANDLED_OPERATIONS].sort());
    expect(values.length).toBeLessThanOrEqual(25);
    const allValues = advancedFilters.reduce((n, f) => n + (Array.isArray(f.values) ? f.values.length : 1), 0);
    expect(allValues).toBeLessThanOrEqual(25);
  });

  it('retries (30 attempts, 24 hours) and dead-letters to the storage account’s container with the topic’s identity', () => {
    expect(properties.retryPolicy).toEqual({ maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 });
    expect(properties.deadLetterDestination).toBeUndefined();
    const deadLetter = obj(properties.deadLetterWithResourceIdentity, 'deadLetterWithResourceIdentity');
    const identity = obj(deadLetter.identity, 'dead-letter identity');
    expect(identity.type).toBe('UserAssigned');
    expect(identity.userAssignedIdentity).toBe("[parameters('eventGridIdentityId')]");
    const destination = obj(deadLetter.deadLetterDestination, 'deadLetterDestination');
    expect(destination.endpointType).toBe('StorageBlob');
    const where = valueIn(eventSubscription.scope, obj(destination.properties, 'dead-letter properties') as Json) as JsonObject;
    expect(where).toEqual({ resourceId: '(resource id of Microsoft.Storage/storageAccounts …)', blobContainerName: 'eventgrid-deadletter' });
    const containers = resourcesOfType(template, 'Microsoft.Storage/storageAccounts/blobServices/containers').map((c) =>
      String(valueIn(c.scope, str(c.resource.name, 'name'))),
    );
    expect(containers).toContain(`stvmbg${TOKEN}/default/eventgrid-deadletter`);
  });

  it('creates the event subscription only when asked (the function must be deployed first)', () => {
    expect(eventSubscription.resource.condition).toBe("[parameters('subscribeEvents')]");
    expect(valueIn(eventSubscription.scope, "[parameters('subscribeEvents')]")).toBe(true);
    expect(valueIn(eventSubscription.scope, "[parameters('subscribeEvents')]", { subscribeEvents: false })).toBe(false);
    expect(properties.eventDeliverySchema).toBe('EventGridSchema');
    expect(obj(obj(properties.destination, 'd').properties, 'p').maxEventsPerBatch).toBe(1);
  });
});

describe('infra/main.json: any Azure cloud, a supported runtime', () => {
  it('names no cloud host itself: every endpoint in an app setting comes from environment() or the resource', () => {
    const literalHost = /\.(?:windows\.net|azure\.com|azure\.net|usgovcloudapi\.net|chinacloudapi\.cn)\b/i;
    const problems = appSettings.filter((s) => literalHost.test(s.value)).map((s) => `${s.name}: ${s.value}`);
    expect(problems).toEqual([]);
    // ...and the check sees one (negative control).
    expect(literalHost.test("[format('https://{0}.blob.core.windows.net/', variables('storageAccountName'))]")).toBe(true);
    expect(appSettings.find((s) => s.name === 'ARM_ENDPOINT')?.value).toBe('[environment().resourceManager]');
  });

  it('deploys a Node.js version Azure Functions still supports (and the check refuses a retired one)', () => {
    const version = str(obj(obj(siteProperties.functionAppConfig, 'functionAppConfig').runtime, 'runtime').version, 'version');
    expect(nodeSupportProblem(version, new Date())).toBeNull();
    expect(nodeSupportProblem('20', new Date('2026-05-01T00:00:00Z'))).toMatch(/Node\.js 20 left Azure Functions support on 2026-04-30/);
    expect(nodeSupportProblem('21', new Date('2026-01-01T00:00:00Z'))).toMatch(/not a version Azure Functions supports/);
  });
});

describe('the evaluator used by these tests', () => {
  it('follows a parameter through every nested deployment', () => {
    const events = scopeOf(allScopes[3]?.path as string);
    expect(parametersOf(events).systemTopicName).toBe('vmbg-subscription-events');
    expect(parametersOf(events, { namePrefix: 'acme' }).systemTopicName).toBe('acme-subscription-events');
    expect(evaluateExpr(parseExpression("[format('{0}-{1}', 'a', toLower('B'))]"), { scope: events, parameters: {}, azure: () => undefined })).toBe('a-b');
    expect(isObject(valueIn(events, "[parameters('tags')]"))).toBe(true);
  });
});
