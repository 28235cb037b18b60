import type { ComputeManagementClient } from '@azure/arm-compute';
import type { ManagementLockClient } from '@azure/arm-locks';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import type { RecoveryServicesBackupClient } from '@azure/arm-recoveryservicesbackup';
import { clientOptions, type ArmAccess } from './armAccess.js';

/** The SDK clients of one subscription, each created (and its package loaded) on first use: cold starts stay short. */
export interface ArmClients {
  compute(): Promise<ComputeManagementClient>;
  network(): Promise<NetworkManagementClient>;
  locks(): Promise<ManagementLockClient>;
  backup(): Promise<RecoveryServicesBackupClient>;
  vaults(): Promise<RecoveryServicesClient>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () => (made ??= make());
}

/**
 * Made once per ARM access and subscription, and kept: building an SDK client builds its whole pipeline (~0.5 ms of
 * CPU each), and one live read of a VM used to build three or four of them.
 */
const made = new WeakMap<ArmAccess, Map<string, ArmClients>>();

export function armClients(access: ArmAccess, subscriptionId: string): ArmClients {
  const bySubscription = made.get(access) ?? new Map<string, ArmClients>();
  made.set(access, bySubscription);
  const key = subscriptionId.toLowerCase();
  const clients = bySubscription.get(key) ?? newClients(access, subscriptionId);
  bySubscription.set(key, clients);
  return clients;
}

function newClients(access: ArmAccess, subscriptionId: string): ArmClients {
  const options = clientOptions(access);
  return {
    compute: once(async () => new (await import('@azure/arm-compute')).ComputeManagementClient(access.credential, subscriptionId, options)),
    network: once(async () => new (await import('@azure/arm-network')).NetworkManagementClient(access.credential, subscriptionId, options)),
    locks: once(async () => new (await import('@azure/arm-locks')).ManagementLockClient(access.credential, subscriptionId, options)),
    backup: once(async () => new (await import('@azure/arm-recoveryservicesbackup')).RecoveryServicesBackupClient(access.credential, subscriptionId, options)),
    vaults: once(async () => new (await import('@azure/arm-recoveryservices')).RecoveryServicesClient(access.credential, subscriptionId, options)),
  };
}
