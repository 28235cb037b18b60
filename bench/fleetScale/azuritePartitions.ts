import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Makes the in-process Azurite's tables cost what the service's do. Azurite keeps a table as one LokiJS collection
 * in which every query runs its filter over every entity, and every write keeps two sorted position indexes
 * (PartitionKey, RowKey) up to date by shifting them whole: both cost O(table), so loading 10,000 VMs (~260,000
 * rows) slows down quadratically and takes hours, and a one-partition query takes as long as a scan. This replaces
 * those two indexes with a map from partition to its rows (kept by the collection's own insert/update/delete
 * events), answers Azurite's point lookups from it, and starts a query that pins a partition (`PartitionKey eq …` at
 * the top of its filter) from that partition's rows; Azurite's own filter, continuation, sort and paging then run
 * unchanged. Same answers; emulator speed only. The bench counts rows on the client, so no figure depends on this.
 */

interface Doc {
  PartitionKey: string;
  RowKey: string;
  $loki: number;
}

interface Collection {
  binaryIndices: Record<string, unknown>;
  adaptiveBinaryIndices: boolean;
  on(event: string, listener: (doc: Doc | Doc[]) => void): void;
  findOne(query: Record<string, unknown>): Doc | null;
  get(id: number, returnPosition: true): [Doc, number] | null;
  chain(): { filteredrows: number[]; filterInitialized: boolean };
  count(): number;
}

interface MetadataStore {
  db: { getCollection(name: string): Collection | null };
  getTableCollectionName(account: string, table: string): string;
  getEntityCollection(account: string, table: string, context: unknown): Collection;
}

interface QueryNode {
  name: string;
  left?: QueryNode;
  right?: QueryNode;
  identifier?: string;
  value?: unknown;
}

const partitionsOf = new WeakMap<Collection, Map<string, Map<string, Doc>>>();
let metadataStore: MetadataStore | null = null;

/** The partition a filter pins at its top level (`PartitionKey eq '…' and …`), or undefined. */
function pinnedPartition(node: QueryNode): string | undefined {
  if (node.name === 'and') return pinnedPartition(node.left!) ?? pinnedPartition(node.right!);
  if (node.name !== 'eq') return undefined;
  const [id, constant] = node.left?.name === 'id' ? [node.left, node.right] : [node.right, node.left];
  return id?.identifier === 'PartitionKey' && constant?.name === 'constant' && typeof constant.value === 'string' ? constant.value : undefined;
}

function indexByPartition(collection: Collection): void {
  if (partitionsOf.has(collection)) return;
  const partitions = new Map<string, Map<string, Doc>>();
  partitionsOf.set(collection, partitions);
  collection.binaryIndices = {};
  collection.adaptiveBinaryIndices = false;
  const add = (doc: Doc) => {
    let rows = partitions.get(doc.PartitionKey);
    if (!rows) partitions.set(doc.PartitionKey, (rows = new Map()));
    rows.set(doc.RowKey, doc);
  };
  collection.on('insert', (docs) => (Array.isArray(docs) ? docs.forEach(add) : add(docs)));
  collection.on('update', (doc) => add(doc as Doc));
  collection.on('delete', (d) => {
    const doc = d as Doc;
    const rows = partitions.get(doc.PartitionKey);
    if (rows?.get(doc.RowKey) !== doc) return;
    rows.delete(doc.RowKey);
    if (rows.size === 0) partitions.delete(doc.PartitionKey);
  });
  const findOne = collection.findOne;
  collection.findOne = function (query) {
    const keys = Object.keys(query);
    if (keys.length === 2 && typeof query.PartitionKey === 'string' && typeof query.RowKey === 'string')
      return partitions.get(query.PartitionKey)?.get(query.RowKey) ?? null;
    return findOne.call(this, query);
  };
}

export function indexAzuriteByPartition(): void {
  const Store = require('azurite/dist/src/table/persistence/LokiTableMetadataStore').default;
  const parse = require('azurite/dist/src/table/persistence/QueryInterpreter/QueryParser').default as (query: string) => QueryNode;
  if (Store.prototype.indexedByPartition) return;
  Store.prototype.indexedByPartition = true;

  // Every table's collection is made when the table is; index it from birth (the bench's tables start empty).
  const create = Store.prototype.createCollectionForTable;
  Store.prototype.createCollectionForTable = function (this: MetadataStore, tableModel: { account: string; table: string }) {
    metadataStore = this;
    create.call(this, tableModel);
    const collection = this.db.getCollection(this.getTableCollectionName(tableModel.account, tableModel.table));
    if (collection) indexByPartition(collection);
  };

  const query = Store.prototype.queryTableEntities;
  Store.prototype.queryTableEntities = function (
    this: MetadataStore,
    context: unknown,
    account: string,
    table: string,
    options: { filter?: string },
    ...rest: unknown[]
  ) {
    let partition: string | undefined;
    try {
      partition = options.filter ? pinnedPartition(parse(options.filter)) : undefined;
    } catch {
      partition = undefined; // Azurite reports the bad filter itself
    }
    const collection = this.getEntityCollection(account, table, context);
    const rows = partitionsOf.get(collection);
    if (partition === undefined || !rows) return query.call(this, context, account, table, options, ...rest);
    // The original is synchronous up to its `chain()`: hand it a result set that already holds just the partition.
    const positions = [...(rows.get(partition)?.values() ?? [])].map((doc) => collection.get(doc.$loki, true)![1]);
    const own = Object.hasOwn(collection, 'chain');
    const chain = collection.chain;
    collection.chain = function (this: Collection) {
      const resultSet = chain.call(this);
      resultSet.filteredrows = positions;
      resultSet.filterInitialized = true;
      return resultSet;
    };
    try {
      return query.call(this, context, account, table, options, ...rest);
    } finally {
      if (own) collection.chain = chain;
      else delete (collection as { chain?: unknown }).chain;
    }
  };
}

/**
 * The number of entities in a table of the in-process Azurite: what a query that pins no partition must read. Read
 * from the emulator, because counting through the table API would itself be such a query.
 */
export function azuriteRowCount(account: string, table: string): number {
  if (!metadataStore) throw new Error('the in-process Azurite has made no table yet');
  return metadataStore.db.getCollection(metadataStore.getTableCollectionName(account, table.toLowerCase()))?.count() ?? 0;
}
