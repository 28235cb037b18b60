/**
 * The Resource Graph queries of the drift sweep. Each starts with a `// vmbg:` tag naming it (the fake Resource
 * Graph of the tests answers by that tag). Joins are on the lower-cased full id, never on names.
 */
export const PROTECTED_VMS_QUERY = `// vmbg:protected-vms
RecoveryServicesResources
| where type =~ 'microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems'
| where tostring(properties.backupManagementType) =~ 'AzureIaasVM'
| extend vmId = tolower(tostring(properties.sourceResourceId))
| project vmId, item = pack('id', id, 'name', name, 'type', type, 'properties', properties)
| join kind=inner (
    Resources
    | where type =~ 'microsoft.compute/virtualmachines'
    | extend vmId = tolower(id)
    | project vmId, vm = pack('id', id, 'name', name, 'type', type, 'location', location, 'zones', zones, 'plan', plan, 'managedBy', managedBy, 'properties', properties)
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

export const PUBLIC_IPS_QUERY = `// vmbg:public-ips
Resources
| where type =~ 'microsoft.network/publicipaddresses'
| project id, name, type, properties
| order by id asc`;

export const POLICIES_QUERY = `// vmbg:backup-policies
RecoveryServicesResources
| where type =~ 'microsoft.recoveryservices/vaults/backuppolicies'
| project id, name, type, properties
| order by id asc`;

export const VAULTS_QUERY = `// vmbg:vaults
Resources
| where type =~ 'microsoft.recoveryservices/vaults'
| project id, name, type, location
| order by id asc`;

/** One row of PROTECTED_VMS_QUERY. */
export interface ProtectedVmRow {
  vmId: string;
  vm: unknown;
  item: unknown;
  disks?: unknown[] | null;
  nics?: unknown[] | null;
}
