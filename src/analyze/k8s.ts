import { BLAST_RADII, type BlastRadius, REVERSIBILITY, type Reversibility } from "../action/decision.js";
import type { K8sAction } from "../action/schema.js";
import { type Finding, finding, type Shape } from "./finding.js";
import { type K8sResource, normalizeK8sResource } from "./k8s-resources.js";
import type { Analysis, Operation } from "./types.js";

export { type K8sResource, normalizeK8sResource };

/**
 * Kubernetes requests: one verb on one resource. The resource arrives in every spelling kubectl
 * and the API accept ("ns", "Deployment", "deployments.apps", "apps/v1/deployments"), so it is
 * normalised first; the body, when present, is read for what the verb alone cannot tell
 * (replicas going to zero, a roleRef of cluster-admin, a privileged pod).
 */

interface Request {
  verb: string;
  ref: K8sResource;
  name?: string;
  namespace?: string;
  body: unknown;
  /** How the request reads in a summary: "deployment payments/web". */
  subject: string;
}

/** Cannot see what the request will do: never treated as safe. */
function unseen(shape: Shape, summary: string, tags: string[] = []): Finding {
  return finding(shape, summary, tags, true);
}

// ── deletes ───────────────────────────────────────────────────────────────────────────────

interface DeleteRisk {
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  tags: string[];
  what: string;
}

/**
 * What deleting one object costs: resource | reversibility and blast radius | tags | what goes with it.
 * PVCs outlive their StatefulSet unless its persistentVolumeClaimRetentionPolicy says Delete, which a
 * delete request does not show; a StatefulSet almost always runs a database, so it counts as stateful.
 * Rows in parentheses are families matched in `deleteRisk`.
 */
const DELETE_TABLE = `
namespaces | irreversible environment | stateful data-loss | everything in it: workloads, secrets, volume claims
customresourcedefinitions | irreversible environment | data-loss | every object of that custom type, in every namespace
persistentvolumeclaims | irreversible service | stateful data-loss | the volume and, under the usual Delete reclaim policy, its disk and data
persistentvolumes | irreversible service | stateful data-loss | the volume and, under a Delete reclaim policy, its disk and data
volumesnapshots | irreversible service | stateful data-loss | the snapshot (a backup)
volumesnapshotcontents | irreversible service | stateful data-loss | the snapshot (a backup)
nodes | recoverable service | outage | the node from the cluster; its pods are rescheduled elsewhere
statefulsets | recoverable service | stateful outage | its pods (the database goes down); claims kept unless retention says Delete
deployments | recoverable service | outage | its pods; the manifest can be re-applied
daemonsets | recoverable service | outage | its pod on every node
replicasets | recoverable service | outage | its pods
replicationcontrollers | recoverable service | outage | its pods
services | recoverable service | outage | its traffic; a LoadBalancer's external address is released
ingresses | recoverable service | outage | the external route to the service
all | recoverable service | stateful outage | every workload, service and job in scope (kubectl's "all")
secrets | recoverable service | | the value, unless it is stored elsewhere; pods mounting it fail to start
configmaps | recoverable service | | the configuration; pods mounting it fail to start
cronjobs | recoverable service | | the schedule and its running jobs
serviceaccounts | recoverable service | | the identity; its tokens stop working
storageclasses | recoverable service | | dynamic provisioning for new claims of that class
pods | recoverable resource | | the pod; its controller, if any, starts a new one
(database operator) | irreversible environment | stateful data-loss | the operator-managed database and its data
(rbac) | recoverable service | | the access it grants
(admission) | recoverable service | | an admission check on API requests
(other) | recoverable resource | | the object; it can be re-created from its manifest`;

const DELETE_RISK = new Map<string, DeleteRisk>();
for (const row of DELETE_TABLE.trim().split("\n")) {
  const [resource = "", shape = "", tags = "", what = ""] = row.split("|").map((c) => c.trim());
  const [reversibility, blastRadius] = shape.split(" ") as [Reversibility, BlastRadius];
  if (!REVERSIBILITY.includes(reversibility) || !BLAST_RADII.includes(blastRadius)) {
    throw new Error(`k8s delete table: bad row ${row}`);
  }
  DELETE_RISK.set(resource, { reversibility, blastRadius, tags: tags ? tags.split(" ") : [], what });
}

/** Operator-managed databases: deleting the custom resource deletes the database. */
const STATEFUL_CUSTOM = new Set(
  `postgresclusters postgresqls mysqlclusters perconaxtradbclusters perconaservermongodbs mongodbcommunity
  mongodbs redisclusters redisfailovers kafkas elasticsearches opensearchclusters cassandradatacenters
  rabbitmqclusters dbinstances dbclusters`.split(/\s+/),
);
const DATABASE_GROUP =
  /postgres|cnpg|mysql|mariadb|mongodb|redis|kafka|strimzi|elastic|opensearch|cassandra|rds/;
const RBAC = new Set(["roles", "rolebindings", "clusterroles", "clusterrolebindings"]);
const ADMISSION = new Set(
  `mutatingwebhookconfigurations validatingwebhookconfigurations
  validatingadmissionpolicies validatingadmissionpolicybindings`.split(/\s+/),
);

function family(ref: K8sResource): string {
  if (DELETE_RISK.has(ref.resource)) return ref.resource;
  if (STATEFUL_CUSTOM.has(ref.resource) || (ref.group && DATABASE_GROUP.test(ref.group)))
    return "(database operator)";
  if (RBAC.has(ref.resource)) return "(rbac)";
  return ADMISSION.has(ref.resource) ? "(admission)" : "(other)";
}

function deleteRisk(ref: K8sResource): DeleteRisk {
  const r = DELETE_RISK.get(family(ref));
  if (!r) throw new Error(`k8s delete table has no row for ${ref.resource}`);
  return r;
}

const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "default"]);

function classifyDelete(req: Request): Finding {
  const { ref, name, namespace } = req;
  const r = deleteRisk(ref);
  const tags = [...r.tags];
  let blast = r.blastRadius;
  const rev = r.reversibility;
  let what = r.what;
  // An RBAC object the cluster itself relies on takes the control plane down with it.
  if (RBAC.has(ref.resource) && name && (name.startsWith("system:") || name === "cluster-admin")) {
    blast = "environment";
    what = "access the cluster's own components rely on";
  }
  if (ref.resource === "namespaces" && name && SYSTEM_NAMESPACES.has(name)) what += " (a system namespace)";
  const bulk = req.verb === "deletecollection" || !name;
  if (!bulk) {
    return finding(`delete ${rev} ${blast}`, `delete ${req.subject}: removes ${what} (${rev})`, tags);
  }
  tags.push("bulk");
  const everywhere = ref.clusterScoped || !namespace;
  // Every object of a kind in a namespace is the namespace's whole workload of that kind:
  // environment-wide where the namespace is the environment (`kubectl delete deploy --all -n prod`).
  blast = "environment";
  // Many pods at once is an outage even though each one comes back.
  if (ref.resource === "pods") tags.push("outage");
  const scope = ref.clusterScoped
    ? "in the cluster"
    : everywhere
      ? "in ALL namespaces"
      : `in namespace ${namespace}`;
  const how = req.verb === "deletecollection" ? "deletecollection" : "delete with no name";
  return finding(
    `delete ${rev} ${blast}`,
    `${how}: deletes every ${ref.kind} ${scope} (each: ${what}; ${rev})`,
    tags,
  );
}

// ── writes: scaling, RBAC, pod security ───────────────────────────────────────────────────

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value the body sets at `path`, as a merge patch / full object or as a JSON Patch operation. */
function bodyValue(body: unknown, path: readonly string[]): unknown {
  if (Array.isArray(body)) {
    const pointer = `/${path.join("/")}`;
    for (const op of body) if (isRecord(op) && op.path === pointer && op.op !== "remove") return op.value;
    return undefined;
  }
  let node: unknown = body;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

const SCALABLE = new Set(["deployments", "statefulsets", "replicasets", "replicationcontrollers"]);

function classifyScale(req: Request): Finding | undefined {
  const viaSubresource = req.ref.subresource === "scale";
  if (!SCALABLE.has(req.ref.resource) || !(viaSubresource || req.ref.subresource === undefined))
    return undefined;
  if (req.verb !== "update" && req.verb !== "patch") return undefined;
  const raw = bodyValue(req.body, ["spec", "replicas"]);
  const replicas = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (replicas === 0) {
    return finding(
      "delete reversible service",
      `scale ${req.subject} to 0 replicas: every pod stops; down until scaled back up`,
      ["outage"],
    );
  }
  if (typeof replicas === "number") {
    return finding("write reversible service", `scale ${req.subject} to ${replicas} replicas`);
  }
  if (viaSubresource) {
    return unseen("write reversible service", `scale ${req.subject}: replica count not visible`);
  }
  return undefined;
}

const ADMIN_ROLES = new Set(["admin", "edit"]);
const EVERYONE = new Set(["system:unauthenticated", "system:authenticated", "system:anonymous"]);

function subjectsOf(body: unknown): unknown[] {
  const direct = bodyValue(body, ["subjects"]);
  if (Array.isArray(direct)) return direct;
  if (!Array.isArray(body)) return [];
  return body.filter((op) => isRecord(op) && String(op.path).startsWith("/subjects")).map((op) => op.value);
}

function classifyBinding(req: Request): Finding {
  const clusterWide = req.ref.resource === "clusterrolebindings";
  const ref = bodyValue(req.body, ["roleRef"]);
  const role = isRecord(ref) ? ref.name : bodyValue(req.body, ["roleRef", "name"]);
  const roleName = typeof role === "string" ? role : undefined;
  const toEveryone = subjectsOf(req.body).some((s) => isRecord(s) && EVERYONE.has(String(s.name)));
  // roleRef is immutable, so a patch adding subjects to an existing admin binding shows only its name.
  const adminByName = roleName === undefined && (req.name ?? "").includes("cluster-admin");
  const escalates =
    roleName === "cluster-admin" ||
    (clusterWide && roleName && ADMIN_ROLES.has(roleName)) ||
    adminByName ||
    toEveryone;
  if (escalates) {
    const who = toEveryone ? "to every user (system:* group)" : "";
    const scope = clusterWide ? "in every namespace" : `in namespace ${req.namespace ?? "?"}`;
    return finding(
      "privilege reversible environment",
      `${req.verb} ${req.subject}: grants ${roleName ?? "cluster-admin"} ${scope} ${who}`.trimEnd(),
      ["privilege-escalation"],
    );
  }
  if (req.body === undefined || roleName === undefined) {
    const blast = clusterWide ? "environment" : "service";
    return unseen(
      `privilege reversible ${blast}`,
      `${req.verb} ${req.subject}: changes who holds a role, not visible which`,
    );
  }
  return finding("privilege reversible service", `${req.verb} ${req.subject}: grants role ${roleName}`);
}

const ESCALATING_VERBS = new Set(["escalate", "bind", "impersonate"]);

function classifyRole(req: Request): Finding {
  const rules = bodyValue(req.body, ["rules"]);
  if (!Array.isArray(rules)) {
    return unseen("privilege reversible service", `${req.verb} ${req.subject}: rules not visible`);
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const escalates = rules.some((rule) => {
    if (!isRecord(rule)) return false;
    const verbs = list(rule.verbs);
    return (
      (verbs.includes("*") && list(rule.resources).includes("*")) ||
      verbs.some((v) => ESCALATING_VERBS.has(v))
    );
  });
  if (escalates) {
    return finding(
      "privilege reversible environment",
      `${req.verb} ${req.subject}: allows every verb on every resource (or escalate/bind/impersonate)`,
      ["privilege-escalation"],
    );
  }
  return finding("privilege reversible service", `${req.verb} ${req.subject}: changes what the role allows`);
}

const POD_BEARING = new Set("pods deployments statefulsets daemonsets replicasets jobs cronjobs".split(" "));
const HOST_PATHS =
  /^\/(?:etc|root|proc|sys|var\/lib\/kubelet|var\/run\/docker\.sock|run\/containerd)?(?:\/.*)?$/;
const DANGEROUS_CAPABILITIES = new Set(["SYS_ADMIN", "ALL", "SYS_PTRACE", "SYS_MODULE"]);

/** Scans a pod-bearing body (any shape: pod, template, JSON Patch) for what gives a pod its node. */
function hostAccess(body: unknown, depth = 0): string | undefined {
  if (depth > 14 || body === null || typeof body !== "object") return undefined;
  if (Array.isArray(body)) {
    for (const item of body.slice(0, 200)) {
      const hit = hostAccess(item, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  const obj = body as Record<string, unknown>;
  if (obj.privileged === true) return "a privileged container";
  if (obj.hostPID === true || obj.hostIPC === true) return "the host's process namespace";
  if (isRecord(obj.hostPath) && typeof obj.hostPath.path === "string" && HOST_PATHS.test(obj.hostPath.path)) {
    return `the host path ${obj.hostPath.path}`;
  }
  if (Array.isArray(obj.add) && obj.add.some((c) => DANGEROUS_CAPABILITIES.has(String(c).toUpperCase()))) {
    return "host-level capabilities";
  }
  for (const value of Object.values(obj)) {
    const hit = hostAccess(value, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

function classifyWrite(req: Request): Finding {
  const { ref, verb } = req;
  const scaled = classifyScale(req);
  if (scaled) return scaled;
  if (ref.resource === "rolebindings" || ref.resource === "clusterrolebindings") return classifyBinding(req);
  if (ref.resource === "roles" || ref.resource === "clusterroles") return classifyRole(req);
  if (ADMISSION.has(ref.resource)) {
    return finding(
      "privilege reversible service",
      `${verb} ${req.subject}: changes which API requests are admitted`,
    );
  }
  if (ref.resource === "serviceaccounts" && ref.subresource === "token") {
    return finding("privilege recoverable resource", `mint a token for ${req.subject}`);
  }
  if (ref.resource === "pods" && ref.subresource === "eviction") {
    return finding(
      "delete recoverable resource",
      `evict ${req.subject} (drain): its controller reschedules it`,
    );
  }
  if (POD_BEARING.has(ref.resource) && ref.subresource === undefined) {
    if (req.body === undefined) {
      return unseen("write reversible service", `${verb} ${req.subject}: pod spec not visible`);
    }
    const access = hostAccess(req.body);
    if (access) {
      return finding(
        "privilege reversible environment",
        `${verb} ${req.subject}: runs with ${access}, which owns the node`,
        ["privilege-escalation"],
      );
    }
  }
  if (ref.resource === "customresourcedefinitions") {
    return finding("write reversible service", `${verb} ${req.subject}: changes a cluster-wide API type`, [
      "schema-change",
    ]);
  }
  if (ref.resource === "nodes" && bodyValue(req.body, ["spec", "unschedulable"]) === true) {
    return finding("write reversible service", `cordon ${req.subject}: no new pods are scheduled on it`);
  }
  const blast: BlastRadius =
    verb === "create" ? "resource" : (DELETE_RISK.get(ref.resource)?.blastRadius ?? "resource");
  const sub = ref.subresource ? ` (${ref.subresource})` : "";
  return finding(
    `write reversible ${blast === "environment" ? "service" : blast}`,
    `${verb} ${req.subject}${sub}`,
  );
}

// ── reads and streams ──────────────────────────────────────────────────────────────────────

const READ_VERBS = new Set(["get", "list", "watch"]);
const STREAMS = new Set(["exec", "attach", "portforward", "proxy"]);

function commandOf(body: unknown): string | undefined {
  const command = bodyValue(body, ["command"]);
  if (Array.isArray(command) && command.length > 0) return command.map(String).join(" ");
  return typeof command === "string" && command !== "" ? command : undefined;
}

function classifyStream(req: Request): Finding {
  const sub = req.ref.subresource;
  if (req.ref.resource === "nodes" && sub === "proxy") {
    return unseen(
      "execute irreversible environment",
      `proxy to the kubelet of ${req.subject}: can exec in any pod on it`,
      ["privilege-escalation"],
    );
  }
  if (sub === "exec" || sub === "attach") {
    const command = commandOf(req.body);
    const seen = command
      ? `runs \`${command}\` (not analysed here)`
      : "the command is not visible in the request";
    return unseen("execute irreversible resource", `${sub} into ${req.subject}: ${seen}`);
  }
  return unseen(
    "execute irreversible service",
    `${sub} to ${req.subject}: traffic through it is not visible`,
  );
}

const ACCESS_REVIEWS = new Set([
  "selfsubjectaccessreviews",
  "selfsubjectrulesreviews",
  "selfsubjectreviews",
  "subjectaccessreviews",
  "localsubjectaccessreviews",
]);

function classify(req: Request): Finding {
  const { verb, ref } = req;
  // Exec and proxy are reachable with GET (websocket upgrade), so the subresource decides, not the verb.
  if (ref.subresource && STREAMS.has(ref.subresource)) return classifyStream(req);
  if (READ_VERBS.has(verb)) {
    const secret = ref.resource === "secrets";
    const what = secret ? "reads secret values" : "reads";
    return finding("read reversible none", `${verb} ${req.subject}: ${what}`, secret ? ["secret-read"] : []);
  }
  if (verb === "delete" || verb === "deletecollection") return classifyDelete(req);
  // `kubectl auth can-i` creates a review: a question about access that changes nothing.
  if (verb === "create" && ACCESS_REVIEWS.has(ref.resource))
    return finding("read reversible none", `create ${req.subject}: asks what is allowed`, []);
  if (verb === "create" || verb === "update" || verb === "patch") return classifyWrite(req);
  return unseen("execute irreversible service", `unknown verb "${verb}" on ${req.subject}`);
}

// ── the analyzer ───────────────────────────────────────────────────────────────────────────

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function describe(ref: K8sResource, name: string | undefined, namespace: string | undefined): string {
  const kind = ref.kind;
  if (!name) return ref.clusterScoped ? `${kind} (all)` : `${kind} (all in ${namespace ?? "ALL namespaces"})`;
  return namespace && !ref.clusterScoped ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

function analyze(action: K8sAction): Analysis {
  const verb = String(action.verb).trim().toLowerCase();
  const ref = normalizeK8sResource(String(action.resource));
  const metadata = bodyValue(action.body, ["metadata"]);
  const name = text(action.name) ?? (isRecord(metadata) ? text(metadata.name) : undefined);
  const namespace = text(action.namespace) ?? (isRecord(metadata) ? text(metadata.namespace) : undefined);
  const context = text(action.kubeContext);
  const resourceName = ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
  const opName = `${verb} ${resourceName}`;
  const envHints = [context].filter((h): h is string => h !== undefined);
  const opHints = [namespace, name].filter((h): h is string => h !== undefined);
  const subject = describe(ref, name, namespace);
  const target = {
    type: ref.kind || "resource",
    name: namespace && !ref.clusterScoped ? `${namespace}/${name ?? "*"}` : (name ?? "*"),
  };
  const f =
    ref.resource === ""
      ? unseen("execute irreversible service", `${verb} on an empty resource name`)
      : classify({ verb, ref, name, namespace, body: action.body, subject });
  const op: Operation = { kind: "k8s", name: opName, ...f, targets: [target], envHints: opHints };
  const notes = [
    `${verb} ${resourceName}${ref.group ? ` (group ${ref.group})` : ""} from "${action.resource}"`,
  ];
  if (action.body !== undefined) notes.push("request body read");
  return { status: f.opaque ? "partial" : "complete", operations: [op], envHints, notes };
}

/** Never throws: an internal fault becomes an opaque operation. */
export function analyzeK8s(action: K8sAction): Analysis {
  try {
    return analyze(action);
  } catch (error) {
    const op: Operation = {
      kind: "k8s",
      name: `${String(action?.verb)} ${String(action?.resource)}`,
      effect: "execute",
      summary: `could not analyse the Kubernetes request: ${error instanceof Error ? error.message : String(error)}`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: [],
      opaque: true,
    };
    return { status: "opaque", operations: [op], envHints: [], notes: ["analysis failed"] };
  }
}
