import { optionValue, parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";

const WITH_VALUE = new Set(
  `--kube-context --namespace -n --kubeconfig -f --values --set --set-string --set-file --version --repo
  --timeout -o --output --revision --description --post-renderer --username --password --ca-file
  --cert-file --key-file --cascade --max --filter --selector -l`.split(/\s+/),
);
const READS = new Set(
  "list ls status get history hist show inspect search template lint version env verify diff help".split(" "),
);
/** Subcommands whose operands are release names; install, upgrade and rollback take one, then a chart or revision. */
const RELEASE_TAKERS = new Set([
  "uninstall",
  "delete",
  "del",
  "un",
  "install",
  "upgrade",
  "rollback",
  "test",
  "status",
  "history",
  "get",
]);
const ONE_RELEASE = new Set(["install", "upgrade", "rollback"]);
/** Subcommands that only change this machine: chart repositories, plugins, downloaded charts. */
const LOCAL = new Set([
  "repo",
  "plugin",
  "pull",
  "fetch",
  "package",
  "create",
  "dependency",
  "dep",
  "registry",
  "completion",
]);

/** What one helm subcommand does to the cluster, before names and hints are added. */
function operation(
  sub: string,
  releases: string[],
  dryRun: boolean,
  keepHistory: boolean,
): Omit<OpSpec, "envHints"> {
  const what = releases.join(" ");
  if (READS.has(sub) || dryRun)
    return { name: `helm ${sub}`, effect: "read", summary: `helm ${sub}: changes nothing` };
  if (LOCAL.has(sub))
    return {
      name: `helm ${sub}`,
      effect: "write",
      summary: `helm ${sub}: changes this machine only`,
      reversibility: "reversible",
    };
  switch (sub) {
    case "uninstall":
    case "delete":
    case "del":
    case "un":
      return {
        name: "helm uninstall",
        effect: "delete",
        summary: `helm uninstall ${what}: deletes every object of the release, volume claims and generated secrets included${keepHistory ? "" : ", and its history"}`,
        reversibility: "irreversible",
        blastRadius: "service",
        targets: releases.map((name) => ({ type: "release", name })),
        tags: ["outage", "data-loss", ...(releases.length > 1 ? ["bulk"] : [])],
      };
    case "install":
    case "upgrade":
      return {
        name: `helm ${sub}`,
        effect: "write",
        summary: `helm ${sub} ${what}: changes the release's objects; what changes is only in the chart`,
        reversibility: "recoverable",
        blastRadius: "service",
        opaque: true,
        targets: releases.map((name) => ({ type: "release", name })),
      };
    case "rollback":
      return {
        name: "helm rollback",
        effect: "write",
        summary: `helm rollback ${what}: returns the release to an earlier revision`,
        reversibility: "recoverable",
        blastRadius: "service",
        targets: releases.map((name) => ({ type: "release", name })),
      };
    case "test":
      return {
        name: "helm test",
        effect: "execute",
        summary: `helm test ${what}: runs the chart's test pods`,
        reversibility: "recoverable",
        blastRadius: "resource",
      };
    default:
      return {
        name: `helm ${sub || "(none)"}`,
        effect: "execute",
        summary: `helm ${sub}: a subcommand airlock has no rules for`,
        reversibility: "recoverable",
        blastRadius: "service",
      };
  }
}

/** `helm uninstall api -n prod --kube-context prod-eks`: the release, its namespace and context tell where. */
function helm(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const [sub = "", ...rest] = p.operands.map((o) => o.value);
  const dryRun = p.flags.has("--dry-run") && optionValue(p, "--dry-run") !== "none";
  // install and upgrade take a chart after the release name; the chart is not a release.
  const releases = RELEASE_TAKERS.has(sub) ? rest.slice(0, ONE_RELEASE.has(sub) ? 1 : undefined) : [];
  const context = optionValue(p, "--kube-context") ?? inv.env.get("HELM_KUBECONTEXT");
  const namespace = optionValue(p, "-n", "--namespace") ?? inv.env.get("HELM_NAMESPACE");
  const spec = operation(sub, releases, dryRun, p.flags.has("--keep-history"));
  const values = optionValue(p, "-f", "--values");
  const hints = [context, namespace, values, ...(spec.effect === "read" ? [] : releases)].filter(
    (h): h is string => !!h,
  );
  emit(inv, { ...spec, envHints: LOCAL.has(sub) ? [...hints, "local"] : hints });
}

export const HELM: Record<string, Handler> = { helm };
