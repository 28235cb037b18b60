// The layers of vm-backup-guard, checked in CI (`npm run lint:deps`). Parsed with swc: dependency-cruiser's
// TypeScript parser needs the compiler's JS API, which TypeScript 7 no longer ships.

/**
 * core/'s folders, bottom first. A folder imports only folders on lower rows (and itself): the ARM model knows
 * nothing else, the rules judge snapshots, the store keeps what the rules said, and the event, queue and sweep paths
 * compose all of it. runtime/ (settings, services) sits above what it builds and below what uses it.
 */
const LAYERS = [
  ['armModel'],
  ['platform'],
  ['inventory'],
  ['snapshot'],
  ['matrix'],
  ['exemptions'],
  ['store'],
  ['assessment', 'contracts'],
  ['runtime'],
  ['queue'],
  ['events'],
  ['pipeline', 'alerts'],
  ['sweep'],
];

const layerRules = LAYERS.flatMap((row, i) =>
  row.map((folder) => ({
    name: `layer-${folder}`,
    severity: 'error',
    comment: `core/${folder} imports only folders below it in LAYERS (.dependency-cruiser.cjs)`,
    from: { path: `^core/${folder}/` },
    to: {
      path: `^core/(${LAYERS.slice(i)
        .flat()
        .filter((f) => f !== folder)
        .join('|')})/`,
    },
  })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-core-folder-has-a-layer',
      severity: 'error',
      comment: 'A new folder in core/ gets a row in LAYERS, so its place in the layering is a decision, not an accident.',
      from: { path: '^core/', pathNot: `^core/(${LAYERS.flat().join('|')})/` },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two folders are one layer in disguise: move the shared part down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'arm-model-stands-alone',
      severity: 'error',
      comment: 'core/armModel (ids, schemas, shapes, locations) is the bottom layer: it imports nothing else in core.',
      from: { path: '^core/armModel/' },
      to: { path: '^core/', pathNot: '^core/armModel/' },
    },
    {
      name: 'matrix-reads-only-snapshots',
      severity: 'error',
      comment: 'The rules judge a VmSnapshot: they depend on the snapshot and the ARM model, never on I/O.',
      from: { path: '^core/matrix/' },
      to: { path: '^core/', pathNot: '^core/(matrix|snapshot|armModel)/' },
    },
    {
      name: 'store-through-its-index',
      severity: 'error',
      comment:
        'core/store is used through core/store/index.ts: its table keys, index rows and lifecycle planner stay inside. ' +
        'tableName.ts and clockSkew.ts import nothing, for start-up paths that must not load the table client.',
      from: { path: '^(core|cli|functions)/', pathNot: '^core/store/' },
      to: { path: '^core/store/', pathNot: '^core/store/(index|tableName|clockSkew)\\.ts$' },
    },
    {
      name: 'core-is-not-an-entry-point',
      severity: 'error',
      comment: 'functions/ and cli/ are the entry points; core/ never reaches back into them (or into dev-only code).',
      from: { path: '^core/' },
      to: { path: '^(cli|functions|scripts|bench|test|dashboard)/' },
    },
    {
      name: 'entry-points-are-leaves',
      severity: 'error',
      comment: 'The Function App and the CLI are separate front ends over core/: neither imports the other.',
      from: { path: '^functions/' },
      to: { path: '^cli/' },
    },
    {
      name: 'cli-does-not-import-functions',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^functions/' },
    },
    {
      name: 'no-unreachable-core',
      severity: 'error',
      comment: 'Every module in core/ is used by an entry point (functions/index.ts or cli/bin.ts); anything else is dead code.',
      from: { path: '^(functions/index|cli/bin)\\.ts$' },
      // contracts/: the published JSON shapes, read by the schema generator and the tests, not at run time.
      to: { path: '^core/', pathNot: '^core/contracts/', reachable: false },
    },
    {
      name: 'not-to-dev-dependencies',
      severity: 'error',
      comment: 'Shipped code (core, cli, functions) uses only runtime dependencies; devDependencies are not deployed.',
      from: { path: '^(core|cli|functions)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
  },
};
