import { describe, expect, it } from 'vitest';
import type { ArmAccess } from '../../core/inventory/arm/armAccess.js';
import { armClients } from '../../core/inventory/arm/armClients.js';

const access = (): ArmAccess => ({
  credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
  endpoint: 'https://management.azure.com',
});
const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09591';

describe('armClients', () => {
  it('keeps one set of SDK clients per access and subscription (building one builds its whole pipeline)', async () => {
    const a = access();
    const clients = armClients(a, SUB);
    expect(armClients(a, SUB.toUpperCase())).toBe(clients);
    expect(await armClients(a, SUB).compute()).toBe(await clients.compute());
    // Another subscription, or another access (another credential or fake ARM), never shares them.
    expect(armClients(a, SUB.replace('0b1f', '1b1f'))).not.toBe(clients);
    expect(armClients(access(), SUB)).not.toBe(clients);
  });
});
