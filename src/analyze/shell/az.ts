import {
  ADMIN_ROLE,
  type CloudRule,
  cloudCommand,
  isHelp,
  ruleForVerb,
  ruleTable,
  withCount,
} from "./cloud-cli.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { lookupVariable } from "./state.js";

/** Azure command paths whose verb alone undersells them. */
const RULES = ruleTable(`
group delete | delete irreversible environment | stateful data-loss | deletes the resource group and every resource in it
aks delete | delete irreversible environment | stateful data-loss | deletes the AKS cluster and its workloads
aks get-credentials | write reversible resource | | writes the cluster's credentials into the local kubeconfig
aks scale | write recoverable service | | changes the number of nodes
sql server delete | delete irreversible environment | stateful data-loss | deletes the SQL server and every database on it
sql db delete | delete irreversible environment | stateful data-loss | deletes the database and its data
sql db restore | write recoverable environment | | restores the database to a point in time
postgres flexible-server delete | delete irreversible environment | stateful data-loss | deletes the PostgreSQL server and its databases
mysql flexible-server delete | delete irreversible environment | stateful data-loss | deletes the MySQL server and its databases
postgres server delete | delete irreversible environment | stateful data-loss | deletes the PostgreSQL server and its databases
mysql server delete | delete irreversible environment | stateful data-loss | deletes the MySQL server and its databases
cosmosdb delete | delete irreversible environment | stateful data-loss | deletes the Cosmos DB account and its data
redis delete | delete irreversible environment | stateful data-loss | deletes the Redis cache
storage account delete | delete irreversible environment | stateful data-loss | deletes the storage account with every container, blob, share and table
storage container delete | delete irreversible service | stateful data-loss | deletes the container and its blobs
storage blob delete-batch | delete irreversible service | data-loss bulk | deletes every matching blob
storage share delete | delete irreversible service | stateful data-loss | deletes the file share and its files
keyvault delete | delete recoverable service | stateful cancellable | soft-deletes the key vault (recoverable until purged)
keyvault purge | delete irreversible service | stateful data-loss | purges the key vault: its keys and secrets are gone
keyvault secret purge | delete irreversible resource | data-loss | purges the secret
keyvault key purge | delete irreversible resource | data-loss | purges the key: data encrypted with it is lost
vm delete | delete irreversible resource | data-loss | deletes the VM
vmss delete | delete irreversible service | data-loss | deletes the scale set and its VMs
disk delete | delete irreversible resource | stateful data-loss | deletes the disk and its data
snapshot delete | delete irreversible resource | data-loss | deletes the snapshot
vm deallocate | write recoverable resource | outage | stops and deallocates the VM
vm run-command invoke | execute recoverable resource opaque | | runs a script on the VM
webapp delete | delete irreversible service | outage | deletes the web app
functionapp delete | delete irreversible service | outage | deletes the function app
network vnet delete | delete irreversible environment | | deletes the virtual network
network dns zone delete | delete irreversible environment | stateful | deletes the DNS zone and its records
network nsg rule create | privilege reversible service | | opens or closes network access
deployment group create | write recoverable environment opaque | | deploys a template; what changes is only in the template
deployment sub create | write recoverable environment opaque | | deploys a template to the subscription; what changes is only in the template
deployment group delete | write recoverable resource | | deletes the deployment's history (its resources stay)
role assignment create | privilege reversible service | | grants a role
role assignment delete | privilege reversible service | | removes a role assignment
ad sp create-for-rbac | privilege reversible service | | creates a service principal with a secret
ad app credential reset | privilege reversible service | | mints a new secret for the application
ad user delete | delete irreversible resource | | deletes the user
resource delete | delete irreversible service | data-loss | deletes the resources
account set | write reversible resource | | changes the subscription later commands use
account clear | write reversible resource | | signs out on this machine
login | write reversible resource | | signs in on this machine
logout | write reversible resource | | signs out on this machine
configure | write reversible resource | | changes the local az configuration
extension add | write reversible resource | | installs an az extension on this machine
`);
const LOCAL = new Set([
  "account set",
  "account clear",
  "login",
  "logout",
  "configure",
  "extension add",
  "aks get-credentials",
]);

const WITH_VALUE = new Set(
  `--subscription --name --resource-group --output --query --ids --role --assignee --scope --location
  --account-name --container-name --server --vault-name --cluster-name --template-file --parameters
  --source --pattern --node-count --command-id --scripts --image --plan --sku`.split(/\s+/),
);
const SHORT = new Map([
  ["-n", "--name"],
  ["-g", "--resource-group"],
  ["-o", "--output"],
  ["-s", "--server"],
  ["-y", "--yes"],
  ["-f", "--template-file"],
  ["-p", "--parameters"],
]);
/** Flags that name what a command acts on, in the order they read best. */
const NAMING = [
  "--name",
  "--ids",
  "--account-name",
  "--container-name",
  "--vault-name",
  "--cluster-name",
  "--server",
];

function az(inv: Invocation): void {
  const c = cloudCommand(inv.argv, WITH_VALUE, SHORT);
  const path = c.path.join(" ");
  const subscription =
    c.flags.get("--subscription") ||
    inv.env.get("AZURE_SUBSCRIPTION_ID") ||
    lookupVariable(inv.state, "AZURE_SUBSCRIPTION_ID");
  // `az account set --subscription X` points every later command on the line at X.
  if (path === "account set" && c.flags.get("--subscription"))
    inv.state.vars.set("AZURE_SUBSCRIPTION_ID", c.flags.get("--subscription") ?? "");
  const group = c.flags.get("--resource-group");
  // `az vm run-command invoke --scripts '…'` runs a shell line on the VM.
  const script = c.flags.get("--scripts");
  if (path === "vm run-command invoke" && script && /Shell/i.test(c.flags.get("--command-id") ?? "")) {
    const vm = c.flags.get("--name") ?? "";
    const remote = [vm, group ?? "", subscription ?? ""].filter((h) => h !== "");
    inv.reparse(script, { depth: inv.scope.depth + 1, remote });
    return;
  }
  const names = [...NAMING.map((f) => c.flags.get(f) ?? ""), ...c.names].filter((n) => n !== "");
  const found = isHelp(c)
    ? HELP
    : withCount(
        RULES.get(path) ?? fromVerb(c.verb, names, c.flags),
        c.names.length + (c.flags.has("--name") ? 1 : 0),
      );
  const where = [group && `group ${group}`, subscription && `subscription ${subscription}`].filter(Boolean);
  emit(inv, {
    name: `az ${path}`,
    effect: found.effect,
    summary: `az ${path} ${names.join(" ")}: ${found.what}${where.length > 0 ? ` (${where.join(", ")})` : ""}`,
    reversibility: found.reversibility,
    blastRadius: found.blastRadius,
    targets: [
      ...names.map((name) => ({ type: c.path[0] ?? "resource", name })),
      ...(group ? [{ type: "resource-group", name: group }] : []),
    ],
    tags: [...found.tags, ...escalation(path, c.flags)],
    envHints: [
      ...(subscription ? [subscription] : []),
      ...(group ? [group] : []),
      ...names,
      ...(LOCAL.has(path) ? ["local"] : []),
    ],
    ...(found.opaque ? { opaque: true } : {}),
  });
}

const HELP: CloudRule = {
  effect: "read",
  reversibility: "reversible",
  blastRadius: "none",
  tags: [],
  what: "prints usage",
};

function fromVerb(verb: string, names: string[], flags: Map<string, string>): CloudRule {
  const found = ruleForVerb(verb, names.length);
  return flags.has("--yes") && found.effect === "delete"
    ? { ...found, what: `${found.what} without asking` }
    : found;
}

/** Owner, Contributor or User Access Administrator handed to someone, scoped wide. */
function escalation(path: string, flags: Map<string, string>): string[] {
  const granting = path === "role assignment create" || path === "ad sp create-for-rbac";
  return granting && ADMIN_ROLE.test(flags.get("--role") ?? "") ? ["privilege-escalation"] : [];
}

export const AZ: Record<string, Handler> = { az };
