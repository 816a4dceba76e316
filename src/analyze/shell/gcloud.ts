import type { BlastRadius, Reversibility } from "../../action/decision.js";
import type { Effect } from "../types.js";
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

/** Google Cloud command paths whose verb alone undersells them. */
const RULES = ruleTable(`
projects delete | delete irreversible account | stateful data-loss | deletes the project and every resource in it
sql instances delete | delete irreversible environment | stateful data-loss | deletes the Cloud SQL instance, its databases and backups
sql databases delete | delete irreversible environment | stateful data-loss | deletes the database and its data
sql instances restore-backup | delete irreversible environment | stateful data-loss | overwrites the instance's data with a backup
sql import | execute irreversible environment opaque | | runs a SQL file airlock cannot see against the instance
container clusters delete | delete irreversible environment | stateful data-loss | deletes the GKE cluster and its workloads
container clusters get-credentials | write reversible resource | | writes the cluster's credentials into the local kubeconfig
container clusters resize | write recoverable service | | changes the number of nodes
compute instances delete | delete irreversible resource | data-loss | deletes the VM and its boot disk
compute disks delete | delete irreversible resource | stateful data-loss | deletes the disk and its data
compute snapshots delete | delete irreversible resource | data-loss | deletes the snapshot
compute instances reset | write recoverable resource | outage | hard-resets the VM
compute instance-groups managed resize | write recoverable service | | changes the number of VMs
compute networks delete | delete irreversible environment | | deletes the VPC network
compute firewall-rules create | privilege reversible service | | opens or closes network access
compute firewall-rules delete | privilege reversible service | | removes a firewall rule
storage buckets delete | delete irreversible environment | stateful data-loss | deletes the bucket
storage rsync | write recoverable service | | copies objects
spanner instances delete | delete irreversible environment | stateful data-loss | deletes the Spanner instance and its databases
spanner databases delete | delete irreversible environment | stateful data-loss | deletes the Spanner database
bigtable instances delete | delete irreversible environment | stateful data-loss | deletes the Bigtable instance and its tables
firestore databases delete | delete irreversible environment | stateful data-loss | deletes the Firestore database
redis instances delete | delete irreversible environment | stateful data-loss | deletes the Memorystore instance
filestore instances delete | delete irreversible environment | stateful data-loss | deletes the Filestore share and its files
dns managed-zones delete | delete irreversible environment | stateful | deletes the DNS zone
kms keys versions destroy | delete irreversible service | stateful data-loss cancellable | schedules the key version's destruction: data encrypted with it is lost
iam service-accounts delete | delete irreversible service | | deletes the service account; what runs as it stops working
iam service-accounts keys create | privilege reversible service | privilege-escalation | mints a long-lived key for the service account
iam roles delete | privilege recoverable service | | deletes a custom role
services disable | write recoverable service | outage | turns the API off for the project
run services delete | delete irreversible service | outage | deletes the Cloud Run service
functions delete | delete irreversible service | outage | deletes the Cloud Function
app services delete | delete irreversible service | outage | deletes the App Engine service
app versions delete | delete recoverable resource | | deletes App Engine versions
pubsub topics delete | delete irreversible service | data-loss | deletes the topic
pubsub subscriptions delete | delete irreversible service | data-loss | deletes the subscription and its backlog
deployment-manager deployments delete | delete irreversible environment | stateful data-loss | deletes the deployment and every resource it made
config set | write reversible resource | | changes the local gcloud configuration
config unset | write reversible resource | | changes the local gcloud configuration
auth login | write reversible resource | | signs in on this machine
auth activate-service-account | write reversible resource | | signs in as a service account on this machine
auth application-default login | write reversible resource | | signs in on this machine
components install | write reversible resource | | installs gcloud components on this machine
components update | write reversible resource | | updates gcloud on this machine
init | write reversible resource | | configures gcloud on this machine
`);
/** Paths that only touch this machine's gcloud configuration. */
const LOCAL = new Set([
  "config set",
  "config unset",
  "auth login",
  "auth activate-service-account",
  "auth application-default login",
  "components install",
  "components update",
  "init",
  "container clusters get-credentials",
]);

const WITH_VALUE = new Set(
  `--project --account --configuration --format --verbosity --zone --region --location --filter --limit
  --sort-by --page-size --impersonate-service-account --billing-project --flatten --member --role --cluster
  --instance --database --keyring --key --iam-account --command --size --num-nodes --image --source
  --service-account --network --subnet --machine-type --tier --bucket --topic`.split(/\s+/),
);
const SHORT = new Map([["-q", "--quiet"]]);

function gcloud(inv: Invocation): void {
  const c = cloudCommand(inv.argv, WITH_VALUE, SHORT);
  const project =
    c.flags.get("--project") ||
    inv.env.get("CLOUDSDK_CORE_PROJECT") ||
    lookupVariable(inv.state, "CLOUDSDK_CORE_PROJECT");
  const path = c.path.join(" ");
  // `gcloud config set project X` points every later command on the line at X.
  if (path === "config set" && c.names[0] === "project" && c.names[1])
    inv.state.vars.set("CLOUDSDK_CORE_PROJECT", c.names[1]);
  if (path === "compute ssh" && c.flags.has("--command")) {
    const host = c.names[0] ?? "";
    const remote = [host.replace(/^[^@]*@/, ""), ...(project ? [project] : [])];
    inv.reparse(c.flags.get("--command") ?? "", { depth: inv.scope.depth + 1, remote });
    return;
  }
  const names = [...c.names, ...resourceFlags(c.flags)];
  const found = isHelp(c)
    ? HELP
    : path === "storage rm"
      ? removal(c.names, c.flags.has("-r") || c.flags.has("--recursive"))
      : withCount(RULES.get(path) ?? fromVerb(c.verb, c.names, c.flags), c.names.length);
  const hints = names.map((n) => (n.startsWith("gs://") ? (n.slice(5).split("/")[0] ?? "") : n));
  emit(inv, {
    name: `gcloud ${path}`,
    effect: found.effect,
    summary: `gcloud ${path} ${names.join(" ")}: ${found.what}${project ? ` (project ${project})` : ""}`,
    reversibility: found.reversibility,
    blastRadius: found.blastRadius,
    targets: names.map((name) => ({ type: c.path[c.path.length - 2] ?? "resource", name })),
    tags: [...found.tags, ...outage(c.flags)],
    envHints: [...(project ? [project] : []), ...hints, ...(LOCAL.has(path) ? ["local"] : [])],
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
  const role = flags.get("--role") ?? "";
  if (found.effect !== "privilege" || !ADMIN_ROLE.test(role)) return found;
  return { ...found, blastRadius: "account", tags: ["privilege-escalation"], what: `grants ${role}` };
}

/** Resizing to nothing stops the service. */
function outage(flags: Map<string, string>): string[] {
  return flags.get("--size") === "0" || flags.get("--num-nodes") === "0" ? ["outage"] : [];
}

function resourceFlags(flags: Map<string, string>): string[] {
  return [
    "--cluster",
    "--instance",
    "--database",
    "--bucket",
    "--topic",
    "--iam-account",
    "--keyring",
    "--key",
  ]
    .map((f) => flags.get(f) ?? "")
    .filter((v) => v !== "");
}

/** Deleting Cloud Storage objects: a whole bucket's worth is environment-wide. */
function removal(urls: string[], recursive: boolean): CloudRule {
  const wholeBucket = recursive && urls.some((u) => /^gs:\/\/[^/]+\/?(\*\*?)?$/.test(u));
  return {
    effect: "delete",
    reversibility: "irreversible",
    blastRadius: wholeBucket ? "environment" : recursive || urls.length > 1 ? "service" : "resource",
    tags: wholeBucket ? ["data-loss", "bulk"] : ["data-loss"],
    what: wholeBucket ? "deletes every object in the bucket" : "deletes objects",
  };
}

const GSUTIL_READS = new Set(["ls", "cat", "du", "stat", "hash", "version", "help"]);
const GSUTIL_SETTINGS = new Set([
  "iam",
  "acl",
  "defacl",
  "versioning",
  "logging",
  "lifecycle",
  "cors",
  "web",
]);

function gsutilRule(sub: string, rest: string[], urls: string[]): CloudRule {
  // A short-option cluster (`-rf`) holding one of `letters`.
  const flag = (letters: string) =>
    rest.some((a) => {
      const cluster = /^-[a-zA-Z]*/.exec(a)?.[0] ?? "";
      return [...letters].some((letter) => cluster.includes(letter));
    });
  const change = rest[0] === "ch" || rest[0] === "set";
  const shape = (
    effect: Effect,
    reversibility: Reversibility,
    blastRadius: BlastRadius,
    tags: string[],
    what: string,
  ) => ({ effect, reversibility, blastRadius, tags, what });
  if (sub === "rb")
    return shape("delete", "irreversible", "environment", ["stateful", "data-loss"], "deletes the bucket");
  if (sub === "rm") return removal(urls, flag("rR"));
  if (sub === "rsync" && flag("d"))
    return shape("delete", "irreversible", "service", ["data-loss", "bulk"], "deletes what the source lacks");
  if ((sub === "iam" || sub === "acl" || sub === "defacl") && change)
    return shape("privilege", "reversible", "service", [], "changes who may read or write the bucket");
  if (GSUTIL_SETTINGS.has(sub) && change)
    return shape("write", "reversible", "resource", [], "changes bucket settings");
  if (GSUTIL_READS.has(sub) || GSUTIL_SETTINGS.has(sub))
    return shape("read", "reversible", "none", [], "only reads");
  return shape("write", "recoverable", "resource", [], "writes objects");
}

/** gsutil, the older storage CLI: `rm -r`, `rb` and `rsync -d` delete; `iam ch` shares a bucket. */
function gsutil(inv: Invocation): void {
  const argv = inv.argv.filter((a, i) => a !== "-m" && a !== "-q" && a !== "-o" && inv.argv[i - 1] !== "-o");
  const [sub = "", ...rest] = argv;
  const urls = rest.filter((a) => a.startsWith("gs://"));
  const found = gsutilRule(sub, rest, urls);
  emit(inv, {
    name: `gsutil ${sub}`,
    effect: found.effect,
    summary: `gsutil ${sub} ${rest.join(" ")}: ${found.what}`,
    reversibility: found.reversibility,
    blastRadius: found.blastRadius,
    targets: urls.map((u) => ({ type: "object", name: u })),
    tags: found.tags,
    envHints: urls.map((u) => u.slice(5).split("/")[0] ?? ""),
  });
}

export const GCLOUD: Record<string, Handler> = { gcloud, gsutil };
