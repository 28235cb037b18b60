import { RestError } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { errorName, redactSecrets, safeErrorMessage } from '../../core/platform/safeErrorText.js';

// Made-up secrets, each in the form it takes in the wild.
const SIG = 'k7Jx9%2BqLw3mZ0pR5vT8yB2nC4dF6hG1jK3lM5nP7qR9s%3D';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3N0b3JhZ2UuYXp1cmUuY29tIn0.c2lnbmF0dXJlLWJ5dGVz';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('redactSecrets', () => {
  // Each row: text as an error or a log line could carry it, the secret it holds, and what must be left of it.
  const secretRows: { form: string; text: string; secret: string; expected: string }[] = [
    {
      form: 'SAS signature in a URL',
      text: `GET https://acct.table.core.windows.net/t()?sv=2023-01-03&sig=${SIG}&se=2026-12-01 failed`,
      secret: SIG,
      expected: 'GET https://acct.table.core.windows.net/t()?sv=2023-01-03&sig=[redacted]&se=2026-12-01 failed',
    },
    {
      form: 'SAS signature, upper-case name, last parameter',
      text: `url: "https://acct.queue.core.windows.net/q?SIG=${SIG}"`,
      secret: SIG,
      expected: 'url: "https://acct.queue.core.windows.net/q?SIG=[redacted]"',
    },
    {
      form: 'account key in a connection string',
      text: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`,
      secret: ACCOUNT_KEY,
      expected: 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted];EndpointSuffix=core.windows.net',
    },
    {
      form: 'SAS token as a whole in a connection string',
      text: `TableEndpoint=https://acct.table.core.windows.net;SharedAccessSignature=sv=2023-01-03&ss=t&srt=o&sp=r&sig=${SIG}`,
      secret: SIG,
      expected: 'TableEndpoint=https://acct.table.core.windows.net;SharedAccessSignature=[redacted]',
    },
    { form: 'bearer token in a header', text: `authorization: Bearer ${JWT}`, secret: JWT, expected: 'authorization: Bearer [redacted]' },
    { form: 'bearer token without its header name', text: `token ${JWT} was refused`, secret: JWT, expected: 'token [redacted] was refused' },
    { form: 'webhook secret', text: `secret "${WHSEC}" is too short`, secret: WHSEC, expected: 'secret "[redacted]" is too short' },
  ];

  for (const row of secretRows) {
    it(`redacts ${row.form}`, () => {
      const out = redactSecrets(row.text);
      expect(out).toBe(row.expected);
      expect(out).not.toContain(row.secret);
    });
  }

  // Negative control: ordinary text — including words that merely start like a secret — is left as it was.
  const ordinaryRows = [
    'The specified resource does not exist. RequestId:2f0e1c1e-0002-0013-0000-000000000000',
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1',
    'signature verification failed; sigma=3; design=flat',
    'the AccountName=acct is known; the Bearer of bad news',
    'whsec_ must be followed by base64 of at least 24 random bytes',
    'eyJ alone is not a token',
  ];
  for (const text of ordinaryRows) {
    it(`leaves ordinary text as it was: ${text.slice(0, 40)}`, () => {
      expect(redactSecrets(text)).toBe(text);
    });
  }
});

describe('errorName and safeErrorMessage', () => {
  const rows: { error: unknown; name: string; message: string }[] = [
    { error: new RestError(`Forbidden sig=${SIG}`, { statusCode: 403 }), name: 'RestError 403', message: 'Forbidden sig=[redacted]' },
    { error: new TypeError('first line\nsecond line'), name: 'TypeError', message: 'first line' },
    { error: 'a string', name: 'string', message: 'a string' },
    { error: { statusCode: 503 }, name: 'object 503', message: '[object Object]' },
  ];
  for (const row of rows) {
    it(`${row.name}: the name and status only for logs; the first line, redacted, for a person`, () => {
      expect(errorName(row.error)).toBe(row.name);
      expect(safeErrorMessage(row.error)).toBe(row.message);
    });
  }
});
