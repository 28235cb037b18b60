#!/usr/bin/env bash
# Deploys vm-backup-guard into the signed-in Azure CLI account's tenant, in one command:
#
#   infra/deploy.sh --location <region> [--targets <sub-id>,<sub-id>...] [--prefix vmbg]
#                   [--alert-destinations <file.json>] [--parameters <k=v>...] [--skip-build] [--package <zip>]
#
#   1. az deployment sub create (infra/main.json) with subscribeEvents=false: resource group, storage, Flex Consumption
#      Function App, Application Insights, Key Vault, identities, roles, system topics — everything but the event
#      subscriptions, which Event Grid refuses while the vmChanged function does not exist yet;
#   2. the alert-destinations secret, as [] only if Azure says it does not exist (404), so ALERT_DESTINATIONS always
#      resolves; any other failure to read it stops the script (a re-run never overwrites real destinations);
#   3. npm ci, npm run build, scripts/packageFunctionApp.mjs, az functionapp deployment source config-zip;
#   4. az deployment sub create again with subscribeEvents=true: the event subscriptions to vmChanged.
#
# Every step is idempotent: run it again to change a parameter, add a target subscription or ship new code.
# Needs: az (signed in, `az account set` to the subscription that gets the app), node >= 20, npm.
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
location="${AZURE_LOCATION:-}"
prefix="vmbg"
targets=""
alert_file=""
skip_build=false
package=""
extra=()
name=""
retry_seconds="${VMBG_RETRY_SECONDS:-30}"
attempts="${VMBG_ATTEMPTS:-6}"

while [ $# -gt 0 ]; do
  case "$1" in
    --location) location="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --alert-destinations) alert_file="$2"; shift 2 ;;
    --parameters) extra+=("$2"); shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --package) package="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

[ -n "$location" ] || { echo "deploy.sh: --location is required (a region that offers Flex Consumption: az functionapp list-flexconsumption-locations)" >&2; exit 2; }
command -v az >/dev/null || { echo "deploy.sh: the Azure CLI (az) is required" >&2; exit 2; }
command -v node >/dev/null || { echo "deploy.sh: Node.js 20 or later is required" >&2; exit 2; }
[ -z "$alert_file" ] || [ -f "$alert_file" ] || { echo "deploy.sh: $alert_file does not exist" >&2; exit 2; }
name="${name:-vm-backup-guard-$prefix}"

# The template's namePrefix pattern (ARM parameters take none, so it lives in the parameter's metadata): a prefix
# that would fail at the storage account or Key Vault name is refused here, before anything is deployed.
# shellcheck disable=SC2016 # the single-quoted program is JavaScript
VMBG_PREFIX="$prefix" node -e '
  const spec = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).parameters.namePrefix;
  const prefix = process.env.VMBG_PREFIX;
  if (!new RegExp(spec.metadata.pattern).test(prefix)) {
    console.error(`deploy.sh: --prefix ${JSON.stringify(prefix)} must match ${spec.metadata.pattern} (${spec.minLength} to ${spec.maxLength} lower-case letters, digits and hyphens, starting with a letter): it starts every resource name, and storage account names allow nothing else`);
    process.exit(2);
  }
' "$root/infra/main.json"

if [ -z "$targets" ]; then
  targets="$(az account show --query id -o tsv)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Parameters go through a file written by node: JSON quoting of the subscription list and of the alert destinations
# (a JSON array inside a string) survives no shell. The destinations file stays out of the command line and logs.
write_parameters() { # $1 = subscribeEvents (true|false), $2 = file
  # shellcheck disable=SC2016 # the single-quoted program is JavaScript, its ${...} are template literals
  VMBG_TARGETS="$targets" VMBG_PREFIX="$prefix" VMBG_LOCATION="$location" VMBG_SUBSCRIBE="$1" VMBG_ALERTS="$alert_file" \
    node -e '
      const fs = require("fs");
      const targets = process.env.VMBG_TARGETS.split(",").map((s) => s.trim()).filter(Boolean);
      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      const bad = targets.filter((t) => !guid.test(t));
      if (targets.length === 0 || bad.length > 0) { console.error(`deploy.sh: --targets must be subscription ids separated by commas (bad: ${bad.join(", ") || "none given"})`); process.exit(2); }
      if (new Set(targets.map((t) => t.toLowerCase())).size !== targets.length) { console.error("deploy.sh: --targets lists a subscription twice"); process.exit(2); }
      const parameters = {
        location: { value: process.env.VMBG_LOCATION },
        namePrefix: { value: process.env.VMBG_PREFIX },
        targetSubscriptions: { value: targets },
        subscribeEvents: { value: process.env.VMBG_SUBSCRIBE === "true" },
      };
      if (process.env.VMBG_ALERTS) {
        const text = fs.readFileSync(process.env.VMBG_ALERTS, "utf8");
        try { if (!Array.isArray(JSON.parse(text))) throw new Error(); } catch { console.error("deploy.sh: --alert-destinations must be a JSON array (see docs/alerts.md)"); process.exit(2); }
        parameters.alertDestinations = { value: text };
      }
      fs.writeFileSync(process.argv[1], JSON.stringify({ $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", contentVersion: "1.0.0.0", parameters }, null, 2));
    ' "$2"
}

deploy() { # $1 = subscribeEvents; prints the deployment outputs (JSON)
  write_parameters "$1" "$work/parameters-$1.json"
  az deployment sub create --name "$name" --location "$location" --template-file "$root/infra/main.json" \
    --parameters "@$work/parameters-$1.json" ${extra[@]+"${extra[@]}"} --query properties.outputs --output json
}

output() { # $1 = outputs file, $2 = name
  node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = o[process.argv[2]]; if (!v) process.exit(1); console.log(v.value);' "$1" "$2"
}

retry() { # $1 = what, rest = command; new role assignments and a freshly deployed host take minutes to be usable
  local what="$1"; shift
  local n=1
  until "$@"; do
    if [ "$n" -ge "$attempts" ]; then echo "deploy.sh: $what failed $n times; giving up" >&2; return 1; fi
    echo "deploy.sh: $what failed (attempt $n of $attempts); retrying in ${retry_seconds}s" >&2
    sleep "$retry_seconds"
    n=$((n + 1))
  done
}

echo "== 1/4 infrastructure (subscriptions: $targets)"
deploy false > "$work/outputs.json"
rg="$(output "$work/outputs.json" resourceGroupName)"
app="$(output "$work/outputs.json" functionAppName)"
vault_id="$(output "$work/outputs.json" keyVaultId)"
secret="$(output "$work/outputs.json" alertDestinationsSecretName)"

echo "== 2/4 alert destinations secret"
secret_url="$vault_id/secrets/$secret?api-version=2023-07-01"
if [ -n "$alert_file" ]; then
  echo "written from $alert_file"
elif az rest --method get --url "$secret_url" --output none 2>"$work/secret-get.err"; then
  echo "exists; left as it is"
elif grep -q '^ERROR: Not Found' "$work/secret-get.err"; then
  # Only a 404 means "missing" (az rest reports an HTTP error as "ERROR: <reason phrase>(<body>)"). Through ARM
  # (control plane), like the template: the deployer needs no Key Vault data-plane role.
  az rest --method put --url "$secret_url" \
    --body '{"properties":{"value":"[]","contentType":"application/json"}}' --output none
  echo "created as [] (no destinations: alerts wait, pending)"
else
  # Throttling, a 5xx, a missing permission, no network: the secret may hold real destinations. Writing [] over
  # them would silence every alert, so stop and say why; a re-run once the cause is gone picks up from here.
  echo "deploy.sh: could not read the alert-destinations secret, so it is left alone and the deployment stops:" >&2
  sed 's/^/  /' "$work/secret-get.err" >&2
  exit 1
fi

echo "== 3/4 code"
if [ -z "$package" ]; then
  if [ "$skip_build" = false ]; then (cd "$root" && npm ci && npm run build); fi
  node "$root/scripts/packageFunctionApp.mjs" --root "$root"
  package="$root/dist/functionapp.zip"
fi
retry "code deployment" az functionapp deployment source config-zip --resource-group "$rg" --name "$app" --src "$package" --output none

echo "== 4/4 event subscriptions"
retry "event subscriptions" deploy true > "$work/outputs.json"

host="$(output "$work/outputs.json" functionAppHostName)"
echo
echo "vm-backup-guard is deployed: resource group $rg, function app $app (https://$host)."
echo "Findings API key:  az functionapp keys list --resource-group $rg --name $app --query functionKeys.default -o tsv"
echo "Alert destinations: docs/deploy.md#alert-destinations"
