// Packages the Function App for deployment: host.json, a package.json that names the bundle, and the bundle itself
// (dist/functions/: index.js, which `npm run build` makes with every dependency inside, and the chunks/ its handlers
// import on first use). Writes the folder azd deploys
// (dist/functionapp/) and the zip that `az functionapp deployment source config-zip` uploads (dist/functionapp.zip).
//
//   node scripts/packageFunctionApp.mjs [--root <project>] [--out <folder>] [--zip <file>]
//
// No zip tool is assumed (Windows, slim containers): the zip is written here, deflated with node:zlib.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
}

function fail(message) {
  console.error(`package-function-app: ${message}`);
  process.exit(2);
}

const root = resolve(option('--root', join(dirname(fileURLToPath(import.meta.url)), '..')));
const out = resolve(root, option('--out', 'dist/functionapp'));
const zipPath = resolve(root, option('--zip', 'dist/functionapp.zip'));

let crcTable;
/** The CRC-32 (IEEE) table, built once. */
const CRC_TABLE = () =>
  (crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  }));

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (typeof pkg.main !== 'string' || pkg.main === '') fail('package.json has no "main" (the Function App bundle)');
const main = pkg.main.replace(/^\.\//, '');
if (!existsSync(join(root, main))) fail(`${main} does not exist: run \`npm run build\` first`);
if (!existsSync(join(root, 'host.json'))) fail('host.json does not exist');

// What the Functions host reads of package.json: "main" (where the functions are registered) and "type" (the bundle
// is an ES module). No dependencies: the bundle carries them, so nothing is installed in Azure.
const deployedPackage = {
  name: `${pkg.name}-functions`,
  version: pkg.version,
  private: true,
  ...(pkg.type ? { type: pkg.type } : {}),
  main,
  ...(pkg.engines ? { engines: pkg.engines } : {}),
};

// The bundle's folder, whole: index.js imports chunks/ (code splitting, scripts/buildOptions.mjs). Sorted, with main
// first, so the zip is the same bytes for the same build.
const bundleDir = posix.dirname(main);
const bundleFiles = readdirSync(join(root, bundleDir), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.(js|mjs|map)$/.test(entry.name))
  .map((entry) =>
    posix.join(
      bundleDir,
      relative(join(root, bundleDir), join(entry.parentPath ?? entry.path, entry.name))
        .split('\\')
        .join('/'),
    ),
  )
  .sort((a, b) => (a === main ? -1 : b === main ? 1 : a < b ? -1 : a > b ? 1 : 0));
const files = [
  { path: 'host.json', data: readFileSync(join(root, 'host.json')) },
  { path: 'package.json', data: Buffer.from(`${JSON.stringify(deployedPackage, null, 2)}\n`) },
  ...bundleFiles.map((path) => ({ path, data: readFileSync(join(root, path)) })),
];

rmSync(out, { recursive: true, force: true });
for (const file of files) {
  const target = join(out, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.data);
}
mkdirSync(dirname(zipPath), { recursive: true });
writeFileSync(zipPath, zip(files));

const size = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const total = (list) => size(list.reduce((n, f) => n + f.data.length, 0));
console.log(
  `package-function-app: ${relative(process.cwd(), out) || '.'}/ and ${relative(process.cwd(), zipPath)} (${files.length} files, ${total(files)}: host.json, package.json, ${main} ${size(files[2].data.length)}, ${files.length - 3} more beside it ${total(files.slice(3))})`,
);

// ---------------------------------------------------------------------------------------------------------------
// A minimal zip (PKWARE APPNOTE 6.3): one local header + deflated data per file, a central directory, its end record.

function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  // A fixed time (1980-01-01 00:00) keeps the package byte-for-byte reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const entry of entries) {
    const name = Buffer.from(entry.path.split('\\').join('/'), 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data) {
  const crcTable = CRC_TABLE();
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
