import { createRequire } from 'node:module';

/**
 * The Kusto language service (npm `@kusto/language-service-next`, the parser and binder Azure Data Explorer's own
 * editors use), with a schema shaped like Resource Graph's tables: queries are checked for syntax and for names
 * (tables, columns, functions), as Resource Graph would resolve them.
 */
// The package is a Bridge.NET build: two scripts that define globals, loaded in order.
const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
// biome-ignore lint: the Bridge.NET globals have no module typings
const Kusto = (globalThis as any).Kusto;

/** Resource Graph's columns (its docs: every table has them; `properties` and the other bags are dynamic). */
const STRING_COLUMNS = ['id', 'name', 'type', 'tenantId', 'kind', 'location', 'resourceGroup', 'subscriptionId', 'managedBy'];
const DYNAMIC_COLUMNS = ['sku', 'plan', 'properties', 'tags', 'identity', 'zones', 'extendedLocation'];
// resourcechanges (the change history the incremental sweep reads) has the same columns.
const TABLES = ['Resources', 'RecoveryServicesResources', 'resourcechanges'];

const { ColumnSymbol, DatabaseSymbol, ScalarTypes, TableSymbol } = Kusto.Language.Symbols;
const column = (name: string, type: unknown) => new ColumnSymbol(name, type, null, null, null, null);
const columns = () => [...STRING_COLUMNS.map((c) => column(c, ScalarTypes.String)), ...DYNAMIC_COLUMNS.map((c) => column(c, ScalarTypes.Dynamic))];
const tables = TABLES.map((name) => new TableSymbol.$ctor4(name, columns()));
const database = new DatabaseSymbol.ctor('ResourceGraph', tables);
const globals = Kusto.Language.GlobalState.Default.WithDatabase(database);

export interface KqlProblem {
  severity: string;
  message: string;
  /** The text the problem is about. */
  at: string;
}

/** Every diagnostic the language service reports for a query (any severity), then Resource Graph's own limits. */
export function kqlProblems(query: string): KqlProblem[] {
  const code = Kusto.Language.KustoCode.ParseAndAnalyze(query, globals);
  const diagnostics = code.GetDiagnostics();
  const problems: KqlProblem[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    problems.push({ severity: d.Severity, message: d.Message, at: query.slice(d.Start, d.Start + Math.max(d.Length, 1)) });
  }
  return [...problems, ...resourceGraphLimitProblems(query)];
}

/**
 * What Resource Graph refuses that Kusto accepts (learn.microsoft.com, "Understanding the Azure Resource Graph query
 * language": at most 3 `join`s per query, of which one may join another table unless every cross-table join is
 * between Resources and ResourceContainers; the join flavors innerunique, inner, leftouter, fullouter; no custom
 * join strategies such as hint.strategy=broadcast). Read from the query with comments and string literals blanked out.
 */
export const RESOURCE_GRAPH_MAX_JOINS = 3;
export const RESOURCE_GRAPH_JOIN_KINDS = ['innerunique', 'inner', 'leftouter', 'fullouter'];

export function resourceGraphLimitProblems(query: string): KqlProblem[] {
  const text = query.replace(/\/\/[^\n]*/g, '').replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''");
  const joins = [...text.matchAll(/\|\s*join\b([^(]*)\(/g)];
  const problems: KqlProblem[] = [];
  if (joins.length > RESOURCE_GRAPH_MAX_JOINS)
    problems.push({ severity: 'ResourceGraph', message: `${joins.length} joins: Resource Graph allows at most ${RESOURCE_GRAPH_MAX_JOINS}`, at: 'join' });
  for (const [, options = ''] of joins) {
    const kind = /\bkind\s*=\s*(\w+)/.exec(options)?.[1] ?? 'innerunique';
    if (!RESOURCE_GRAPH_JOIN_KINDS.includes(kind.toLowerCase()))
      problems.push({ severity: 'ResourceGraph', message: `join kind=${kind}: Resource Graph supports ${RESOURCE_GRAPH_JOIN_KINDS.join(', ')}`, at: kind });
    if (/\bhint\./.test(options))
      problems.push({ severity: 'ResourceGraph', message: 'join hints (custom join strategies) are not allowed in Resource Graph', at: options.trim() });
  }
  // The table a query starts from, and the table each join's subquery starts from.
  const base = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '';
  const joined = [...text.matchAll(/\|\s*join\b[^(]*\(\s*(\w+)/g)].map((m) => m[1]!.toLowerCase());
  const cross = joined.filter((table) => table !== base);
  const containersOnly = [base, ...cross].every((t) => t === 'resources' || t === 'resourcecontainers');
  if (cross.length > 1 && !containersOnly)
    problems.push({
      severity: 'ResourceGraph',
      message: `${cross.length} cross-table joins: Resource Graph allows one (unless all are between Resources and ResourceContainers)`,
      at: 'join',
    });
  return problems;
}
