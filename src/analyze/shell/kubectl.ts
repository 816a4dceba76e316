import type { K8sAction } from "../../action/schema.js";
import { optionValue, type ParsedArgs, parseArgs, shellLine, withStdin } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";
import { resolvePath } from "./state.js";

const WITH_VALUE = new Set([
  "--context",
  "-n",
  "--namespace",
  "--kubeconfig",
  "-l",
  "--selector",
  "-f",
  "--filename",
  "-o",
  "--output",
  "--cluster",
  "--user",
  "--grace-period",
  "--replicas",
  "-c",
  "--container",
  "--field-selector",
  "--timeout",
  "--type",
  "-p",
  "--patch",
  "--image",
  "--to-revision",
  "-k",
  "--kustomize",
  "--for",
  "--server",
  "-s",
  "--as",
]);
const READS = new Set([
  "get",
  "describe",
  "logs",
  "top",
  "explain",
  "api-resources",
  "api-versions",
  "version",
  "cluster-info",
  "diff",
  "wait",
  "events",
  "auth",
  "completion",
  "plugin",
  "port-forward",
  "proxy",
]);

interface Context {
  inv: Invocation;
  p: ParsedArgs;
  verb: string;
  rest: string[];
  /** What every delegated k8s Action starts from: the context and namespace given. */
  base: Pick<K8sAction, "kind" | "kubeContext" | "namespace">;
  hints: string[];
}

const CONFIG_READS = new Set(["view", "current-context", "get-contexts"]);

/** OpenShift's names for Kubernetes resources (`oc delete project x` deletes a namespace). */
const OPENSHIFT: Record<string, string> = { project: "namespaces", projects: "namespaces" };

function splitResource(words: string[]): [string, string | undefined] {
  const [first = "", second] = words;
  if (!first.includes("/")) return [first, second];
  const [resource = "", name] = first.split("/", 2);
  return [resource, name];
}

/** `kubectl exec POD -- CMD` runs CMD in the pod: parsed again, with the pod as its place. */
function exec(c: Context, dashdash: number): void {
  const { inv, verb } = c;
  const pod = c.rest[0] ?? "";
  const scope = { depth: inv.scope.depth + 1, remote: [...c.hints, pod].filter((h) => h !== "") };
  if (dashdash >= 0 && dashdash + 1 < inv.args.length) {
    inv.reparse(withStdin(shellLine(inv.args.slice(dashdash + 1)), inv.stdin), scope);
    return;
  }
  emit(inv, {
    name: `kubectl ${verb}`,
    effect: "execute",
    summary: `an interactive session in ${pod}, whose commands airlock will not see`,
    reversibility: "recoverable",
    blastRadius: "service",
    opaque: true,
    envHints: scope.remote,
  });
}

/** Verbs that change objects the k8s analyzer knows: delegated as a K8sAction. */
function change(c: Context): K8sAction | undefined {
  const { p, verb, rest, base } = c;
  const [resource, name] = splitResource(rest);
  const named = name ? { name } : {};
  switch (verb) {
    case "delete": {
      const all = p.flags.has("--all") || !!optionValue(p, "-l", "--selector") || resource === "all";
      return { ...base, verb: name && !all ? "delete" : "deletecollection", resource, ...named };
    }
    case "scale": {
      const replicas = Number(optionValue(p, "--replicas") ?? "1");
      return {
        ...base,
        verb: "patch",
        resource: `${resource}/scale`,
        ...named,
        body: { spec: { replicas } },
      };
    }
    case "apply":
    case "create":
    case "replace":
      return { ...base, verb: verb === "create" ? "create" : "update", resource, ...named };
    case "cordon":
    case "uncordon":
    case "taint":
      return { ...base, verb: "patch", resource: "nodes", name: resource };
    case "patch":
    case "edit":
    case "label":
    case "annotate":
    case "set":
    case "rollout": {
      const [r, n] = splitResource(verb === "rollout" || verb === "set" ? rest.slice(1) : rest);
      return { ...base, verb: "patch", resource: r || "unknown", ...(n ? { name: n } : {}) };
    }
    default:
      return undefined;
  }
}

/** Verbs the k8s analyzer has no object for: drain, config, cp, run and the unknown. */
function other(c: Context): OpSpec {
  const { verb, rest, hints } = c;
  if (verb === "drain") {
    return {
      name: "kubectl drain",
      effect: "write",
      summary: `kubectl drain ${rest[0] ?? ""}: evicts every pod from the node`,
      reversibility: "recoverable",
      blastRadius: "service",
      tags: ["outage"],
      targets: [{ type: "node", name: rest[0] ?? "" }],
      envHints: hints,
    };
  }
  return {
    name: `kubectl ${verb}`,
    effect: verb === "run" ? "execute" : "write",
    summary: `kubectl ${verb} ${rest.join(" ")}`,
    reversibility: "recoverable",
    blastRadius: verb === "config" ? "resource" : "service",
    envHints: verb === "config" ? [...hints, "local"] : hints,
  };
}

function kubectl(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const dashdash = inv.args.findIndex((a) => a.value === "--");
  const before = dashdash >= 0 ? parseArgs(inv.args.slice(0, dashdash), WITH_VALUE) : p;
  const [verb = "", ...rest] = before.operands.map((o) => o.value);
  const context = optionValue(p, "--context");
  const namespace =
    optionValue(p, "-n", "--namespace") ??
    (p.flags.has("-A") || p.flags.has("--all-namespaces") ? "*" : undefined);
  const hints = [context, namespace === "*" ? undefined : namespace, optionValue(p, "--cluster")].filter(
    (h): h is string => !!h,
  );
  const base = {
    kind: "k8s" as const,
    ...(context ? { kubeContext: context } : {}),
    ...(namespace && namespace !== "*" ? { namespace } : {}),
  };
  const c: Context = { inv, p, verb, rest, base, hints };
  const files = optionValue(p, "-f", "--filename", "-k", "--kustomize");
  const manifestVerb = verb === "delete" || verb === "apply" || verb === "create" || verb === "replace";
  const reads =
    READS.has(verb) ||
    (verb === "config" && CONFIG_READS.has(rest[0] ?? "")) ||
    (verb === "rollout" && (rest[0] === "status" || rest[0] === "history"));
  if (reads) {
    emit(inv, {
      name: `kubectl ${verb}`,
      effect: "read",
      summary: `kubectl ${verb} only reads`,
      envHints: hints,
    });
  } else if (p.flags.has("--dry-run") && optionValue(p, "--dry-run") !== "none") {
    emit(inv, {
      name: `kubectl ${verb} --dry-run`,
      effect: "read",
      summary: "a dry run changes nothing",
      envHints: hints,
    });
  } else if (verb === "exec" || verb === "debug" || verb === "attach") exec(c, dashdash);
  else if (verb === "create" && files !== undefined && onlyAccessReviews(inv, files))
    emit(inv, {
      name: "kubectl create accessreview",
      effect: "read",
      summary: "kubectl create of access reviews: asks the API server what is allowed, changes nothing",
      envHints: hints,
    });
  else if (manifestVerb && (files || !splitResource(rest)[0])) opaqueManifest(inv, verb, files, hints);
  else {
    // `delete deploy,svc,pvc --all` is one request per kind of resource.
    const [first = "", ...more] = rest;
    const kinds = first.includes(",") && !first.includes("/") ? first.split(",") : [first];
    for (const kind of kinds) {
      const action = change({ ...c, rest: [OPENSHIFT[kind] ?? kind, ...more] });
      if (action) delegate(inv, "k8s", action, `kubectl ${action.verb} ${action.resource}`, hints);
      else emit(inv, other(c));
    }
  }
}

/** Kinds whose `create` only asks a question (`kubectl create -f - <<< '{"kind":"SelfSubjectAccessReview",…}'`). */
const ACCESS_REVIEWS = new Set([
  "SelfSubjectAccessReview",
  "SelfSubjectRulesReview",
  "SelfSubjectReview",
  "SubjectAccessReview",
  "LocalSubjectAccessReview",
  "TokenReview",
]);

/** Whether a manifest the line shows (standard input, or a file written on it) holds only access reviews. */
function onlyAccessReviews(inv: Invocation, files: string): boolean {
  const path = files === "-" ? undefined : resolvePath(inv.state, files);
  const text =
    files === "-"
      ? inv.stdin.kind === "text" && inv.stdin.known
        ? inv.stdin.text
        : undefined
      : path
        ? inv.state.files.get(path)
        : undefined;
  if (text === undefined) return false;
  const kinds = [...text.matchAll(/["']?\bkind["']?\s*:\s*["']?([A-Za-z]+)/g)].map((m) => m[1] ?? "");
  return kinds.length > 0 && kinds.every((k) => ACCESS_REVIEWS.has(k));
}

function opaqueManifest(inv: Invocation, verb: string, files: string | undefined, hints: string[]): void {
  emit(inv, {
    name: `kubectl ${verb} -f`,
    effect: verb === "delete" ? "delete" : "write",
    summary: `kubectl ${verb} ${files ?? ""}: the objects are in a manifest airlock cannot see`,
    reversibility: verb === "delete" ? "irreversible" : "recoverable",
    blastRadius: "service",
    opaque: true,
    targets: files ? [{ type: "manifest", name: files }] : [],
    envHints: hints,
  });
}

export const KUBECTL: Record<string, Handler> = { kubectl, k: kubectl, oc: kubectl };
