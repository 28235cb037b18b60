import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanInventory, RG } from '../helpers/cleanVm.js';
import { freshTableName } from '../helpers/azurite.js';
import { entraLikeCredential, startOAuthAzurite, type OAuthAzurite } from '../helpers/azuriteOAuth.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

/**
 * `--store https://…` with Entra ID, against Azurite's own OAuth mode over real HTTPS (a certificate made for the
 * test): the SDK's bearer-token policy, TLS and Azurite's token checks all run; only the token issuer is ours.
 */
let azurite: OAuthAzurite;
beforeAll(async () => {
  azurite = await startOAuthAzurite();
}, 30_000);
afterAll(async () => azurite?.close());

const access = (credential = entraLikeCredential()) => ({ credential, clientOptions: { tlsOptions: { ca: azurite.ca } } });

describe('--store <table service URL> with Entra ID', () => {
  it('check --store, findings, and exemptions work over OAuth; the token is asked for Storage', async () => {
    const credential = entraLikeCredential();
    const store = ['--store', azurite.tableServiceUri, '--table', freshTableName()];
    const doc = cleanInventory();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    const dir = tempFiles({ 'vm.json': doc });
    const checked = await cli(['check', `${dir}/vm.json`, ...store, '--fail-on', 'never'], { storeAccess: access(credential) });
    expect(checked.stderr).toMatch(/stored 1 evaluations/);
    expect(checked.code).toBe(0);
    const found = await cli(['findings', ...store, '--format', 'json'], { storeAccess: access(credential) });
    expect(JSON.parse(found.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('compute.min-size');
    const added = await cli(
      ['exemptions', 'add', ...store, '--id', 'b1s', '--scope', RG, '--rules', 'compute.min-size', '--category', 'waiver', '--reason', 'build agent'],
      { storeAccess: access(credential) },
    );
    expect(added.code).toBe(0);
    expect(credential.scopes).toContain('https://storage.azure.com/.default');
  });

  it('negative controls: an expired token or another audience is refused by Azurite (exit 3); no --auth is a usage error', async () => {
    const store = ['--store', azurite.tableServiceUri, '--table', freshTableName()];
    for (const credential of [entraLikeCredential({ lifetimeSeconds: -120 }), entraLikeCredential({ audience: 'https://management.azure.com' })]) {
      const run = await cli(['findings', ...store], { storeAccess: access(credential) });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/the service answered 40[13]/);
    }
    const noAuth = await cli(['findings', ...store]);
    expect(noAuth.code).toBe(2);
    expect(noAuth.stderr).toContain('a table service URL needs --auth azure-cli or --auth default');
  });

  it('negative control: without trusting the test certificate, TLS refuses the connection', async () => {
    await expect(
      cli(['findings', '--store', azurite.tableServiceUri, '--table', freshTableName()], { storeAccess: { credential: entraLikeCredential() } }),
    ).rejects.toThrow(/self-signed certificate/);
  });
});
