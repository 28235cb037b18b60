/**
 * The Resource Graph queries of the drift sweep. Each starts with a `// vmbg:` tag naming it (the fake Resource
 * Graph of the tests answers by that tag). Joins are on the lower-cased full id, never on names. A query narrowed
 * to some resources carries one `| where <column> in (...)` line (the fake applies it too); test/sweep/kql.test.ts
 * checks every query here with the Kusto language service.
 */

export const PROTECTED_ITEM_TYPE = 'microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems';
export const POLICY_TYPE = 'microsoft.recoveryservices/vaults/backuppolicies';

/** Ids per narrowed query: keeps the query text small (Resource Graph bounds it), and a batch is one request. */
export const IDS_PER_QUERY = 100;

/** A KQL string literal (ids are ARM's; quotes and backslashes are escaped all the same). */
function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The narrowing line, or nothing: `ids` are lower-cased, as the column compared with them is. */
function only(column: string, ids: readonly string[] | undefined): string {
  if (ids === undefined) return '';
  if (ids.length === 0 || ids.length > IDS_PER_QUERY) throw new Error(`a narrowed query takes 1 to ${IDS_PER_QUERY} ids, not ${ids.length}`);
  return `\n| where ${column} in (${ids.map((id) => kqlString(id.toLowerCase())).join(', ')})`;
}

/**
 * Protected VMs with their item, disks and NICs; `vmIds` narrows it to those VMs (the incremental sweep). It starts
 * from `Resources` so that only one of its three joins crosses tables: Resource Graph allows three joins a query, of
 * which one may join another table (unless all are between Resources and ResourceContainers).
 */
export function protectedVmsQuery(vmIds?: readonly string[]): string {
  return `// vmbg:protected-vms
Resources
| where type =~ 'microsoft.compute/virtualmachines'
| extend vmId = tolower(id)${only('vmId', vmIds)}
| project vmId, vm = pack('id', id, 'name', name, 'type', type, 'location', location, 'zones', zones, 'tags', tags, 'plan', plan, 'managedBy', managedBy, 'properties', properties)
| join kind=inner (
    RecoveryServicesResources
    | where type =~ '${PROTECTED_ITEM_TYPE}'
    | where tostring(properties.backupManagementType) =~ 'AzureIaasVM'
    | project vmId = tolower(tostring(properties.sourceResourceId)), item = pack('id', id, 'name', name, 'type', type, 'properties', properties)
  ) on vmId
| join kind=leftouter (
    Resources
    | where type =~ 'microsoft.compute/disks' and isnotempty(managedBy)
    | extend vmId = tolower(managedBy)
    | summarize disks = make_list(pack('id', id, 'name', name, 'type', type, 'sku', sku, 'managedBy', managedBy, 'properties', properties)) by vmId
  ) on vmId
| join kind=leftouter (
    Resources
    | where type =~ 'microsoft.network/networkinterfaces'
    | extend vmId = tolower(tostring(properties.virtualMachine.id))
    | summarize nics = make_list(pack('id', id, 'name', name, 'type', type, 'properties', properties)) by vmId
  ) on vmId
| project vmId, vm, item, disks, nics
| order by vmId asc`;
}

export const PROTECTED_VMS_QUERY = protectedVmsQuery();

/** The shared resources a page of VMs refers to; `ids` narrows each to the ones referred to. */
export function publicIpsQuery(ids?: readonly string[]): string {
  return `// vmbg:public-ips
Resources
| where type =~ 'microsoft.network/publicipaddresses'${only('tolower(id)', ids)}
| project id, name, type, properties
| order by id asc`;
}

export function policiesQuery(ids?: readonly string[]): string {
  return `// vmbg:backup-policies
RecoveryServicesResources
| where type =~ '${POLICY_TYPE}'${only('tolower(id)', ids)}
| project id, name, type, properties
| order by id asc`;
}

export function vaultsQuery(ids?: readonly string[]): string {
  return `// vmbg:vaults
Resources
| where type =~ 'microsoft.recoveryservices/vaults'${only('tolower(id)', ids)}
| project id, name, type, location
| order by id asc`;
}

export const PUBLIC_IPS_QUERY = publicIpsQuery();
export const POLICIES_QUERY = policiesQuery();
export const VAULTS_QUERY = vaultsQuery();

/** The resource types whose changes can change what the rules see about a protected VM. */
export const TRACKED_TYPES = [
  'microsoft.compute/virtualmachines',
  'microsoft.compute/disks',
  'microsoft.network/networkinterfaces',
  'microsoft.network/publicipaddresses',
  PROTECTED_ITEM_TYPE,
  POLICY_TYPE,
] as const;

/**
 * What changed after `since` (Resource Graph's `resourcechanges`: 14 days of Create / Update / Delete records, each
 * with `properties.targetResourceId`, `targetResourceType`, `changeType` and `changeAttributes.timestamp`), one row
 * per changed resource. No joins: mapping a change to its VM crosses tables (see protectedVmsQuery on the limit), so
 * it is done by two narrow queries that only run when something changed.
 */
export function resourceChangesQuery(since: Date): string {
  return `// vmbg:resource-changes
resourcechanges
| extend changedAt = todatetime(properties.changeAttributes.timestamp)
| where changedAt > datetime(${since.toISOString()})
| extend targetId = tolower(tostring(properties.targetResourceId)), targetType = tolower(tostring(properties.targetResourceType))
| where targetType in (${TRACKED_TYPES.map(kqlString).join(', ')})
| summarize changedAt = max(changedAt) by targetId, targetType
| order by targetId asc`;
}

/** The VM that changed disks, NICs and public IPs belong to now: a disk's `managedBy`, a NIC's VM, a public IP's NIC's VM. */
export function changeOwnersQuery(ids: readonly string[]): string {
  return `// vmbg:change-owners
Resources
| where type in~ ('microsoft.compute/disks', 'microsoft.network/networkinterfaces', 'microsoft.network/publicipaddresses')${only('tolower(id)', ids)}
| project targetId = tolower(id), isIp = type =~ 'microsoft.network/publicipaddresses', owner = case(
    type =~ 'microsoft.compute/disks', tolower(managedBy),
    type =~ 'microsoft.network/networkinterfaces', tolower(tostring(properties.virtualMachine.id)),
    tostring(split(tolower(tostring(properties.ipConfiguration.id)), '/ipconfigurations/')[0]))
| join kind=leftouter (
    Resources
    | where type =~ 'microsoft.network/networkinterfaces'
    | project owner = tolower(id), nicVmId = tolower(tostring(properties.virtualMachine.id))
  ) on owner
| project targetId, vmId = iff(isIp, nicVmId, owner)
| order by targetId asc`;
}

/** The VMs that changed protected items protect now (a new item is not in the store's links yet). */
export function changedItemsQuery(ids: readonly string[]): string {
  return `// vmbg:changed-items
RecoveryServicesResources
| where type =~ '${PROTECTED_ITEM_TYPE}'${only('tolower(id)', ids)}
| project targetId = tolower(id), vmId = tolower(tostring(properties.sourceResourceId))
| order by targetId asc`;
}

/** One row of PROTECTED_VMS_QUERY. */
export interface ProtectedVmRow {
  vmId: string;
  vm: unknown;
  item: unknown;
  disks?: unknown[] | null;
  nics?: unknown[] | null;
}

/** One row of resourceChangesQuery. */
export interface ResourceChangeRow {
  targetId: string;
  targetType: string;
  changedAt: string;
}

/** One row of changeOwnersQuery or changedItemsQuery. */
export interface ChangeOwnerRow {
  targetId: string;
  vmId?: string | null;
}
