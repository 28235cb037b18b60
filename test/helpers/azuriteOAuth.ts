import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';

const require = createRequire(import.meta.url);
const ACCOUNT = 'devstoreaccount1';

export interface OAuthAzurite {
  /** The table service URL, path-style as Azurite serves it: https://127.0.0.1:<port>/devstoreaccount1. */
  tableServiceUri: string;
  /** The self-signed certificate the server presents (PEM): what a client must trust. */
  ca: string;
  close(): Promise<void>;
}

/**
 * Azurite's Table service over HTTPS with `--oauth basic`: it accepts a bearer token whose issuer, audience and
 * lifetime are right (it checks no signature). The certificate is made here, with openssl, for 127.0.0.1.
 */
export async function startOAuthAzurite(): Promise<OAuthAzurite> {
  const dir = mkdtempSync(join(tmpdir(), 'vbg-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  // As scripts/localAzurite.ts, plus: the certificate and key paths, no password, OAuth `basic`.
  const configuration = new TableConfiguration(
    '127.0.0.1',
    0,
    undefined,
    undefined,
    false,
    false,
    undefined,
    undefined,
    false,
    false,
    cert,
    key,
    '',
    'basic',
    false,
    true,
  );
  const server = new TableServer(configuration);
  await server.start();
  return {
    tableServiceUri: `${server.getHttpServerAddress()}/${ACCOUNT}`,
    ca: readFileSync(cert, 'utf8'),
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Issues tokens shaped as Entra ID's for Storage (issuer, audience, lifetime); `lifetimeSeconds` < 0 gives expired ones. */
export function entraLikeCredential(options: { audience?: string; lifetimeSeconds?: number } = {}): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (options.lifetimeSeconds ?? 3600);
      const claims = {
        aud: options.audience ?? 'https://storage.azure.com',
        iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
        iat: now - 60,
        nbf: now - 60,
        exp,
        oid: '00000000-0000-0000-0000-000000000001',
      };
      return { token: `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.c2ln`, expiresOnTimestamp: exp * 1000 };
    },
  };
}
