import { afterAll, beforeAll } from 'vitest';
import { startLocalAzurite, type LocalAzurite } from '../../scripts/localAzurite.js';

/** One in-process Azurite per test file; each test uses its own table name so tests do not see each other. */
export function useAzurite(): { connectionString: () => string } {
  let azurite: LocalAzurite | null = null;
  beforeAll(async () => {
    azurite = await startLocalAzurite();
  });
  afterAll(async () => {
    await azurite?.close();
  });
  return {
    connectionString: () => {
      if (!azurite) throw new Error('Azurite is not started');
      return azurite.connectionString;
    },
  };
}

let tables = 0;
export function freshTableName(): string {
  tables += 1;
  return `findings${process.pid}x${tables}`;
}
