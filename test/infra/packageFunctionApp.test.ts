import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

/** scripts/packageFunctionApp.mjs: what `az functionapp deployment source config-zip` and `azd deploy` upload. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/packageFunctionApp.mjs');
const temp: string[] = [];
afterAll(() =>
  temp.forEach((dir) => {
    rmSync(dir, { recursive: true, force: true });
  }),
);

/** Reads a zip back (central directory → local headers → inflate) and checks every CRC. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(-1);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const stored = zip.subarray(dataStart, dataStart + compressedSize);
    expect(method).toBe(8);
    const data = inflateRawSync(stored);
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function fakeProject(withBundle = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmbg-package-'));
  temp.push(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'vm-backup-guard',
      version: '9.9.9',
      type: 'module',
      main: 'dist/functions/index.js',
      dependencies: { zod: '4' },
      devDependencies: { vitest: '4' },
    }),
  );
  writeFileSync(join(dir, 'host.json'), '{ "version": "2.0" }\n');
  if (withBundle) {
    mkdirSync(join(dir, 'dist/functions'), { recursive: true });
    // Compressible and not: deflate must round-trip both.
    writeFileSync(
      join(dir, 'dist/functions/index.js'),
      `export const x = 1;\n${'// padding\n'.repeat(5000)}${Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)).toString('base64')}\n`,
    );
    writeFileSync(join(dir, 'dist/functions/index.js.map'), '{"version":3}');
    // A chunk a handler imports on first use (code splitting): shipped beside index.js.
    mkdirSync(join(dir, 'dist/functions/chunks'), { recursive: true });
    writeFileSync(join(dir, 'dist/functions/chunks/chunk-A1.js'), 'export const y = 2;\n');
  }
  return dir;
}

describe('scripts/packageFunctionApp.mjs', () => {
  it('stages host.json, a package.json that names the bundle, and the bundle with its chunks; and zips exactly that', () => {
    const project = fakeProject();
    execFileSync(process.execPath, [SCRIPT, '--root', project], { stdio: 'pipe' });
    const files = readZip(readFileSync(join(project, 'dist/functionapp.zip')));
    expect([...files.keys()]).toEqual([
      'host.json',
      'package.json',
      'dist/functions/index.js',
      'dist/functions/chunks/chunk-A1.js',
      'dist/functions/index.js.map',
    ]);
    for (const name of ['host.json', 'dist/functions/index.js', 'dist/functions/index.js.map', 'dist/functions/chunks/chunk-A1.js']) {
      expect(files.get(name)?.equals(readFileSync(join(project, name))), name).toBe(true);
      expect(readFileSync(join(project, 'dist/functionapp', name)).equals(readFileSync(join(project, name))), name).toBe(true);
    }
    const deployed = JSON.parse(String(files.get('package.json')));
    // The host needs "main" and "type": module (the bundle is ESM); nothing to install in Azure.
    expect(deployed).toEqual({ name: 'vm-backup-guard-functions', version: '9.9.9', private: true, type: 'module', main: 'dist/functions/index.js' });
    expect(JSON.parse(readFileSync(join(project, 'dist/functionapp/package.json'), 'utf8'))).toEqual(deployed);
    // Reproducible: the same input gives the same bytes.
    const first = readFileSync(join(project, 'dist/functionapp.zip'));
    execFileSync(process.execPath, [SCRIPT, '--root', project], { stdio: 'pipe' });
    expect(readFileSync(join(project, 'dist/functionapp.zip')).equals(first)).toBe(true);
  });

  it('is a zip other tools read (unzip -t, where installed)', () => {
    const project = fakeProject();
    execFileSync(process.execPath, [SCRIPT, '--root', project, '--zip', 'out/app.zip'], { stdio: 'pipe' });
    const unzip = spawnSync('unzip', ['-t', join(project, 'out/app.zip')], { encoding: 'utf8' });
    if (unzip.error) return; // no unzip on this machine: readZip above is the check
    expect(unzip.status, unzip.stdout + unzip.stderr).toBe(0);
    expect(unzip.stdout).toMatch(/No errors detected/);
  });

  it('refuses to package a project that was not built, naming the fix', () => {
    const project = fakeProject(false);
    const run = spawnSync(process.execPath, [SCRIPT, '--root', project], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/dist\/functions\/index\.js does not exist: run `npm run build` first/);
    expect(existsSync(join(project, 'dist/functionapp.zip'))).toBe(false);
  });

  it('ships everything the real bundle needs: it imports only Node built-ins, its own chunks and the host’s @azure/functions-core', () => {
    const bundleDir = join(ROOT, 'dist/functions');
    if (!existsSync(join(bundleDir, 'index.js'))) return; // `npm run build` makes it; CI builds before it tests
    const imported = new Set<string>();
    for (const file of readdirSync(bundleDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(bundleDir, file), 'utf8');
      for (const m of source.matchAll(/(?:__require|\brequire)\("([^"]+)"\)|^import [^;]*? from "([^"]+)"|^import "([^"]+)"|\bimport\("([^"]+)"\)/gm)) {
        const name = (m[1] ?? m[2] ?? m[3] ?? m[4]) as string;
        // A relative import is a chunk of this build: it must be there.
        if (name.startsWith('.')) expect(existsSync(join(bundleDir, file, '..', name)), `${file} imports ${name}`).toBe(true);
        else imported.add(name);
      }
    }
    const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
    expect([...imported].filter((name) => !builtins.has(name))).toEqual(['@azure/functions-core']);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).main).toBe('dist/functions/index.js');
  });
});
