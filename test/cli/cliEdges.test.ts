import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOL } from '../../cli/toolInfo.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

const json = (doc: unknown) => JSON.stringify(doc);

describe('CLI edges', () => {
  it('non-UTF-8 input is exit 2, naming the file and the byte offset', async () => {
    const dir = tempFiles({});
    const text = Buffer.from(json(cleanInventory()).replace('vm-app-01', 'vm-app-0\u0001'));
    const at = text.indexOf(0x01);
    text[at] = 0xff;
    writeFileSync(join(dir, 'bad.json'), text);
    const run = await cli(['check', join(dir, 'bad.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.json');
    expect(run.stderr).toContain(`not UTF-8: invalid byte at offset ${at} (0xff)`);
  });

  it('a real U+FFFD in the input is not mistaken for a bad byte', async () => {
    const dir = tempFiles({});
    const text = Buffer.concat([Buffer.from(json(cleanInventory()).replace('"vm-app-01"', '"vm-\uFFFD"')), Buffer.from([0x20, 0xc3])]);
    writeFileSync(join(dir, 'cut.json'), text);
    const run = await cli(['check', join(dir, 'cut.json')]);
    expect(run.stderr).toContain(`not UTF-8: invalid byte at offset ${text.length - 1} (0xc3)`);
  });

  it('a FIFO is refused, not read forever', async () => {
    const dir = tempFiles({});
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const run = await cli(['check', fifo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a regular file');
  }, 5_000);

  it('control characters from input are escaped in table and markdown output and in stderr', async () => {
    const doc = cleanInventory();
    doc.virtualMachines[0].name = 'vm-\u001b[2J\u001b]0;owned\u0007';
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    const dir = tempFiles({ 'vms.json': doc });
    for (const format of ['table', 'markdown']) {
      const run = await cli(['check', '--format', format, join(dir, 'vms.json')]);
      expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(run.stdout).toContain('vm-\\u001b[2J');
    }
    const unknown = await cli(['no\u001b[31msuch']);
    expect(unknown.stderr).not.toContain('\u001b');
  });

  it('a malformed connection string or --arm-endpoint is exit 2 with the reason, never the key', async () => {
    const dir = tempFiles({ 'vms.json': cleanInventory() });
    for (const [store, reason] of [
      ['AccountName=x', 'not a usable connection string'],
      ['DefaultEndpointsProtocol=https;AccountName=a;AccountKey=!!SECRET!!;EndpointSuffix=core.windows.net', 'AccountKey is not base64'],
      ['AccountName=a;AccountKey=a2V5;TableEndpoint=ftp://x', 'TableEndpoint is not an http(s) URL'],
    ] as const) {
      const run = await cli(['check', '--store', store, join(dir, 'vms.json')]);
      expect({ store, code: run.code }).toEqual({ store, code: 2 });
      expect(run.stderr).toContain(reason);
      expect(run.stderr).not.toContain('SECRET');
    }
    for (const endpoint of ['not a url', 'http://management.azure.com', 'https://management.azure.com/x?y=1', 'https://user:pw@management.azure.com']) {
      const run = await cli(['scan', '--subscription', '11111111-2222-3333-4444-555555555555', '--auth', 'azure-cli', '--arm-endpoint', endpoint]);
      expect({ endpoint, code: run.code }).toEqual({ endpoint, code: 2 });
      expect(run.stderr).toContain('--arm-endpoint must be an https URL');
    }
  });

  it('--version works, and --help works on every command', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${TOOL.name} ${TOOL.version}\n`, stderr: '' });
    for (const command of ['check', 'findings', 'scan', 'alerts', 'migrate', 'purge', 'exemptions', 'editions', 'diff-editions']) {
      const run = await cli([command, '--help']);
      expect({ command, code: run.code, stderr: run.stderr }).toEqual({ command, code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage: vm-backup-guard /);
    }
  });
});
