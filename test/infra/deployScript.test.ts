import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * infra/deploy.sh with a stand-in `az` on PATH that records every call and answers like the Azure CLI would. What
 * this proves is the orchestration (order, parameters, retries, the alert secret); what Azure does with each call is
 * verified only in Azure.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'infra/deploy.sh');
const temp: string[] = [];
afterAll(() =>
  temp.forEach((dir) => {
    rmSync(dir, { recursive: true, force: true });
  }),
);

const OUTPUTS = {
  resourceGroupName: { type: 'String', value: 'rg-vmbg' },
  functionAppName: { type: 'String', value: 'func-vmbg-abc' },
  functionAppHostName: { type: 'String', value: 'func-vmbg-abc.azurewebsites.net' },
  keyVaultId: { type: 'String', value: '/subscriptions/1/resourceGroups/rg-vmbg/providers/Microsoft.KeyVault/vaults/kvvmbgabc' },
  alertDestinationsSecretName: { type: 'String', value: 'alert-destinations' },
};

// The stand-in: one line per call in calls.log, a copy of each parameters file, scripted failures.
const FAKE_AZ = `#!/usr/bin/env bash
dir="$(dirname "$0")"
echo "$*" >> "$dir/calls.log"
case "$1 $2" in
  "account show") echo "00000000-aaaa-bbbb-cccc-000000000001" ;;
  "deployment sub")
    for a in "$@"; do case "$a" in @*) n=$(ls "$dir" | grep -c '^parameters-'); p="\${a#@}"; cp "$p" "$dir/parameters-$n.json" ;; esac; done
    if grep -A1 '"subscribeEvents"' "$p" | grep -q true && [ -f "$dir/fail-subscribe" ] && [ "$(cat "$dir/fail-subscribe")" -gt 0 ]; then
      echo $(( $(cat "$dir/fail-subscribe") - 1 )) > "$dir/fail-subscribe"; echo "Destination endpoint not found" >&2; exit 1
    fi
    cat "$dir/outputs.json" ;;
  "rest --method")
    # As az rest reports an HTTP error: "ERROR: <reason phrase>(<body>)", exit code 1.
    if [ "$3" = get ] && [ -f "$dir/secret-get-error" ]; then cat "$dir/secret-get-error" >&2; exit 1; fi
    if [ "$3" = get ] && [ ! -f "$dir/secret-exists" ]; then echo 'ERROR: Not Found({"error":{"code":"ResourceNotFound","message":"secret not found"}})' >&2; exit 1; fi ;;
  "functionapp deployment")
    if [ -f "$dir/fail-zip" ] && [ "$(cat "$dir/fail-zip")" -gt 0 ]; then
      echo $(( $(cat "$dir/fail-zip") - 1 )) > "$dir/fail-zip"; echo "BlobUploadFailedException (403)" >&2; exit 1
    fi ;;
  *) echo "unexpected az $*" >&2; exit 99 ;;
esac
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
  parameters: Record<string, { value: unknown }>[];
}

function run(args: string[], setup: Record<string, string> = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'vmbg-deploy-'));
  temp.push(dir);
  writeFileSync(join(dir, 'az'), FAKE_AZ);
  chmodSync(join(dir, 'az'), 0o755);
  writeFileSync(join(dir, 'outputs.json'), JSON.stringify(OUTPUTS));
  writeFileSync(join(dir, 'app.zip'), 'PK');
  for (const [file, content] of Object.entries(setup)) writeFileSync(join(dir, file), content);
  const result = spawnSync('bash', [SCRIPT, ...args.map((a) => a.replace('<dir>', dir))], {
    encoding: 'utf8',
    env: { PATH: [dir, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), HOME: dir, VMBG_RETRY_SECONDS: '0', VMBG_ATTEMPTS: '3' },
  });
  const log = join(dir, 'calls.log');
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  const parameters = readdirSync(dir)
    .filter((f) => f.startsWith('parameters-'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).parameters);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, parameters };
}

const SUB_A = '11111111-2222-3333-4444-555555555555';
const SUB_B = '66666666-7777-8888-9999-000000000000';

describe('infra/deploy.sh', () => {
  it('deploys infrastructure, creates the alert secret, deploys the code, then subscribes the events', () => {
    const r = run(['--location', 'westeurope', '--targets', `${SUB_A},${SUB_B}`, '--package', '<dir>/app.zip']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'deployment sub create',
      'rest --method get',
      'rest --method put',
      'functionapp deployment source',
      'deployment sub create',
    ]);
    expect(r.calls[0]).toContain(`--template-file ${ROOT}infra/main.json`);
    expect(r.calls[0]).toContain('--location westeurope');
    expect(r.calls[1]).toContain(`--url ${OUTPUTS.keyVaultId.value}/secrets/alert-destinations?api-version=2023-07-01`);
    expect(r.calls[2]).toContain(`"value":"[]"`);
    expect(r.calls[3]).toMatch(/^functionapp deployment source config-zip --resource-group rg-vmbg --name func-vmbg-abc --src \S+\/app\.zip --output none$/);
    const [first, second] = r.parameters;
    expect(first?.subscribeEvents?.value).toBe(false);
    expect(second?.subscribeEvents?.value).toBe(true);
    expect(first?.targetSubscriptions?.value).toEqual([SUB_A, SUB_B]);
    expect(first?.location?.value).toBe('westeurope');
    expect(first?.namePrefix?.value).toBe('vmbg');
    expect(first?.alertDestinations).toBeUndefined();
    expect(r.stdout).toMatch(/deployed: resource group rg-vmbg, function app func-vmbg-abc \(https:\/\/func-vmbg-abc\.azurewebsites\.net\)/);
  });

  it('leaves an existing alert secret alone, and defaults the targets to the current subscription', () => {
    const r = run(['--location', 'westeurope', '--package', '<dir>/app.zip'], { 'secret-exists': '' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls.some((c) => c.startsWith('rest --method put'))).toBe(false);
    expect(r.calls[0]).toBe('account show --query id -o tsv');
    expect(r.parameters[0]?.targetSubscriptions?.value).toEqual(['00000000-aaaa-bbbb-cccc-000000000001']);
  });

  it('creates the secret only on a 404: throttling, a 5xx or a missing permission stops the script, with the reason, and writes nothing', () => {
    for (const error of [
      'ERROR: Too Many Requests({"error":{"code":"TooManyRequests","message":"Rate limit exceeded"}})',
      'ERROR: Internal Server Error({"error":{"code":"InternalServerError"}})',
      'ERROR: Forbidden({"error":{"code":"AuthorizationFailed","message":"does not have authorization to perform action"}})',
      'ERROR: HTTPSConnectionPool(host=..., port=443): Max retries exceeded',
    ]) {
      const r = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip'], { 'secret-get-error': error });
      expect(r.status, error).not.toBe(0);
      expect(
        r.calls.some((c) => c.startsWith('rest --method put')),
        error,
      ).toBe(false);
      expect(r.stderr).toContain('could not read the alert-destinations secret');
      expect(r.stderr).toContain(error);
      // Stopped before the code and the event subscriptions.
      expect(r.calls.filter((c) => c.startsWith('functionapp') || c.startsWith('deployment'))).toHaveLength(1);
    }
    // The control: a 404 does create it.
    const missing = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip']);
    expect(missing.status, missing.stderr).toBe(0);
    expect(missing.calls.filter((c) => c.startsWith('rest --method put'))).toHaveLength(1);
  });

  it('refuses a --prefix the storage account would refuse, with the template’s own pattern, before touching Azure', () => {
    for (const prefix of ['vm_bg', 'VMBG', '1vmbg', 'vmbg-', 'v', 'waytoolongprefix']) {
      const r = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip', '--prefix', prefix]);
      expect(r.status, prefix).toBe(2);
      expect(r.stderr, prefix).toMatch(/--prefix .* must match/);
      expect(r.calls, prefix).toEqual([]);
    }
    const ok = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip', '--prefix', 'vm-bg2']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.parameters[0]?.namePrefix?.value).toBe('vm-bg2');
  });

  it('passes alert destinations from a file as one secure string, never on the command line', () => {
    const destinations = JSON.stringify([{ name: 'ops', type: 'webhook', url: 'https://hooks.example/x?sig=SECRET', secret: 'abcdefghijklmnopqrstuvwxyz' }]);
    const r = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip', '--alert-destinations', '<dir>/alerts.json'], {
      'alerts.json': destinations,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.parameters[0]?.alertDestinations?.value).toBe(destinations);
    expect(r.calls.join('\n')).not.toContain('SECRET');
    expect(r.stdout + r.stderr).not.toContain('SECRET');
    expect(r.calls.some((c) => c.startsWith('rest --method'))).toBe(false);
  });

  it('retries the code deployment and the event subscriptions while Azure catches up', () => {
    const r = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip'], { 'fail-zip': '2' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('functionapp deployment'))).toHaveLength(3);
    expect(r.stderr).toMatch(/code deployment failed \(attempt 2 of 3\); retrying/);
    const gaveUp = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip'], { 'fail-zip': '5' });
    expect(gaveUp.status).not.toBe(0);
    expect(gaveUp.stderr).toMatch(/code deployment failed 3 times; giving up/);
    expect(gaveUp.calls.filter((c) => c.startsWith('deployment sub create'))).toHaveLength(1);
    // Event Grid refuses the function until the new host has registered it: the subscribing deployment is retried.
    const late = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip'], { 'fail-subscribe': '2' });
    expect(late.status, late.stderr).toBe(0);
    expect(late.parameters.map((p) => p.subscribeEvents?.value)).toEqual([false, true, true, true]);
    expect(late.stderr).toMatch(/event subscriptions failed \(attempt 1 of 3\)/);
  });

  it('refuses bad input before touching Azure', () => {
    const noLocation = spawnSync('bash', [SCRIPT], {
      encoding: 'utf8',
      env: { PATH: `${dirname(process.execPath)}${delimiter}/usr/bin${delimiter}/bin`, AZURE_LOCATION: '' },
    });
    expect(noLocation.status).toBe(2);
    expect(noLocation.stderr).toMatch(/--location is required/);
    const badTargets = run(['--location', 'westeurope', '--targets', `${SUB_A},not-a-subscription`, '--package', '<dir>/app.zip']);
    expect(badTargets.status).toBe(2);
    expect(badTargets.stderr).toMatch(/--targets must be subscription ids separated by commas \(bad: not-a-subscription\)/);
    expect(badTargets.calls.filter((c) => c.startsWith('deployment'))).toEqual([]);
    const twice = run(['--location', 'westeurope', '--targets', `${SUB_A},${SUB_A.toUpperCase()}`, '--package', '<dir>/app.zip']);
    expect(twice.stderr).toMatch(/lists a subscription twice/);
    const notArray = run(['--location', 'westeurope', '--targets', SUB_A, '--package', '<dir>/app.zip', '--alert-destinations', '<dir>/alerts.json'], {
      'alerts.json': '{"name":"x"}',
    });
    expect(notArray.status).toBe(2);
    expect(notArray.stderr).toMatch(/must be a JSON array/);
  });
});
