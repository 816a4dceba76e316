import type { K8sAction } from "../../action/schema.js";
import { parseArgs, valueOf } from "./args.js";
import { emit, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";

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

function kubectl(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const dashdash = inv.args.findIndex((a) => a.value === "--");
  const before = dashdash >= 0 ? parseArgs(inv.args.slice(0, dashdash), WITH_VALUE) : p;
  const [verb = "", ...rest] = before.operands.map((o) => o.value);
  const context = valueOf(p, "--context");
  const namespace =
    valueOf(p, "-n", "--namespace") ??
    (p.flags.has("-A") || p.flags.has("--all-namespaces") ? "*" : undefined);
  const hints = [context, namespace === "*" ? undefined : namespace, valueOf(p, "--cluster")].filter(
    (h): h is string => !!h,
  );
  const dryRun = valueOf(p, "--dry-run");
  const base = {
    kind: "k8s" as const,
    ...(context ? { kubeContext: context } : {}),
    ...(namespace && namespace !== "*" ? { namespace } : {}),
  };
  if (
    READS.has(verb) ||
    (verb === "config" && ["view", "current-context", "get-contexts"].includes(rest[0] ?? ""))
  ) {
    return void emit(inv, {
      name: `kubectl ${verb}`,
      effect: "read",
      summary: `kubectl ${verb} only reads`,
      envHints: hints,
    });
  }
  if (p.flags.has("--dry-run") && dryRun !== "none") {
    return void emit(inv, {
      name: `kubectl ${verb} --dry-run`,
      effect: "read",
      summary: "a dry run changes nothing",
      envHints: hints,
    });
  }
  if (verb === "exec" || verb === "debug" || verb === "attach") {
    const pod = rest[0] ?? "";
    const scope = { depth: inv.scope.depth + 1, remote: [...hints, pod].filter((h) => h !== "") };
    if (dashdash >= 0 && dashdash + 1 < inv.args.length) {
      const command = inv.args.slice(dashdash + 1);
      return inv.reparse(
        command
          .map((w) =>
            w.known && /^[\w./=:@%+-]+$/.test(w.value) ? w.value : `'${w.value.replace(/'/g, "'\\''")}'`,
          )
          .join(" "),
        scope,
      );
    }
    return void emit(inv, {
      name: `kubectl ${verb}`,
      effect: "execute",
      summary: `an interactive session in ${pod}, whose commands airlock will not see`,
      reversibility: "recoverable",
      blastRadius: "service",
      opaque: true,
      envHints: scope.remote,
    });
  }
  const files = valueOf(p, "-f", "--filename", "-k", "--kustomize");
  const [resource = "", name] = (rest[0] ?? "").includes("/") ? (rest[0] ?? "").split("/", 2) : rest;
  const all = p.flags.has("--all") || !!valueOf(p, "-l", "--selector") || resource === "all";
  switch (verb) {
    case "delete":
      if (files || !resource) return opaqueManifest(inv, verb, files, hints);
      return k8s(
        inv,
        { ...base, verb: name && !all ? "delete" : "deletecollection", resource, ...(name ? { name } : {}) },
        hints,
      );
    case "scale": {
      const replicas = Number(valueOf(p, "--replicas") ?? "1");
      return k8s(
        inv,
        {
          ...base,
          verb: "patch",
          resource: `${resource}/scale`,
          ...(name ? { name } : {}),
          body: { spec: { replicas } },
        },
        hints,
      );
    }
    case "apply":
    case "create":
    case "replace":
      if (files || !resource) return opaqueManifest(inv, verb, files, hints);
      return k8s(
        inv,
        { ...base, verb: verb === "create" ? "create" : "update", resource, ...(name ? { name } : {}) },
        hints,
      );
    case "patch":
    case "edit":
    case "label":
    case "annotate":
    case "set":
    case "rollout":
    case "cordon":
    case "uncordon":
    case "taint": {
      const target = verb === "rollout" || verb === "set" ? rest.slice(1) : rest;
      const [r = "", n] = (target[0] ?? "").includes("/") ? (target[0] ?? "").split("/", 2) : target;
      if (verb === "cordon" || verb === "uncordon" || verb === "taint")
        return k8s(inv, { ...base, verb: "patch", resource: "nodes", name: r }, hints);
      return k8s(inv, { ...base, verb: "patch", resource: r || "unknown", ...(n ? { name: n } : {}) }, hints);
    }
    case "drain":
      return void emit(inv, {
        name: "kubectl drain",
        effect: "write",
        summary: `kubectl drain ${rest[0] ?? ""}: evicts every pod from the node`,
        reversibility: "recoverable",
        blastRadius: "service",
        tags: ["outage"],
        targets: [{ type: "node", name: rest[0] ?? "" }],
        envHints: hints,
      });
    case "config":
    case "cp":
    case "run":
      return void emit(inv, {
        name: `kubectl ${verb}`,
        effect: verb === "run" ? "execute" : "write",
        summary: `kubectl ${verb} ${rest.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: verb === "config" ? "resource" : "service",
        envHints: verb === "config" ? [...hints, "local"] : hints,
      });
    default:
      return void emit(inv, {
        name: `kubectl ${verb}`,
        effect: "write",
        summary: `kubectl ${verb} ${rest.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: "service",
        envHints: hints,
      });
  }
}

function k8s(inv: Invocation, action: K8sAction, hints: string[]): void {
  delegate(inv, "k8s", action, `kubectl ${action.verb} ${action.resource}`, hints);
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
