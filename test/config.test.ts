import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../core/runtime/config.js';

describe('loadSettings', () => {
  it('reads a connection string or a managed-identity table service URI, the edition and the ARM endpoint', () => {
    expect(loadSettings({ FINDINGS_STORAGE: 'UseDevelopmentStorage=true' })).toMatchObject({
      storage: { kind: 'connectionString' },
      findingsTable: 'vmbackupguardfindings',
      armEndpoint: 'https://management.azure.com',
      edition: { id: '2026-03' },
    });
    expect(
      loadSettings({
        FINDINGS_STORAGE__tableServiceUri: 'https://st.table.core.windows.net/',
        MATRIX_EDITION: '2019-02',
        ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
      }),
    ).toMatchObject({
      storage: { kind: 'identity', tableServiceUri: 'https://st.table.core.windows.net/' },
      edition: { id: '2019-02' },
      armEndpoint: 'https://management.usgovcloudapi.net',
    });
  });
  it('reports every problem at once, naming the setting', () => {
    expect(() => loadSettings({ MATRIX_EDITION: '2020-01', FINDINGS_TABLE: '1bad' })).toThrow(ConfigError);
    try {
      loadSettings({ MATRIX_EDITION: '2020-01', FINDINGS_TABLE: '1bad', FINDINGS_STORAGE: 'UseDevelopmentStorage=true' });
    } catch (error) {
      expect((error as Error).message).toMatch(/FINDINGS_TABLE must be 3-63 letters.*MATRIX_EDITION: unknown matrix edition "2020-01"/);
    }
    expect(() => loadSettings({})).toThrow(/FINDINGS_STORAGE \(a connection string\) or FINDINGS_STORAGE__tableServiceUri/);
  });
});
