import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";
import { lookupVariable } from "./state.js";

const READS = new Set([
  "plan",
  "validate",
  "show",
  "output",
  "fmt",
  "init",
  "version",
  "providers",
  "graph",
  "console",
  "get",
  "login",
  "logout",
  "metadata",
  "test",
  "modules",
]);

/** Names that tell which environment a run touches: workspace, directory, var files. */
function environmentNames(inv: Invocation, args: string[]): string[] {
  const hints: string[] = [];
  const workspace = inv.env.get("TF_WORKSPACE") ?? lookupVariable(inv.state, "TF_WORKSPACE");
  if (workspace) hints.push(workspace);
  for (const a of args) {
    const m =
      /^-(?:chdir|var-file|backend-config|state)=(.+)$/.exec(a) ??
      /^(?:env|environment|stage)=(.+)$/i.exec(a);
    if (m?.[1]) hints.push(m[1]);
  }
  const cwd = inv.state.cwd;
  if (cwd && cwd !== ".") hints.push(cwd.split("/").filter(Boolean).pop() ?? "");
  return hints;
}

type TfOp = Omit<OpSpec, "envHints"> & { extraHints?: string[] };

function destroy(rest: string[], bulk: string[]): TfOp {
  const targets = rest
    .filter((a) => a.startsWith("-target="))
    .map((a) => ({ type: "resource", name: a.slice(8) }));
  const what = targets.length > 0 ? targets.map((t) => t.name).join(", ") : "every resource in the workspace";
  const unasked = rest.includes("-auto-approve") || rest.includes("--auto-approve") ? " without asking" : "";
  return {
    name: "destroy",
    effect: "delete",
    summary: `destroy deletes ${what}${unasked}`,
    reversibility: "irreversible",
    blastRadius: targets.length > 0 ? "service" : "environment",
    targets,
    tags: ["stateful", "data-loss", ...bulk],
  };
}

function apply(rest: string[], bulk: string[]): TfOp {
  const replaced = rest.filter((a) => a.startsWith("-replace=")).map((a) => a.slice(9));
  if (replaced.length > 0) {
    return {
      name: "apply -replace",
      effect: "delete",
      summary: `apply -replace destroys and recreates ${replaced.join(", ")}`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: replaced.map((r) => ({ type: "resource", name: r })),
      tags: ["delete-then-recreate"],
    };
  }
  const plan = rest.find((a) => !a.startsWith("-"));
  return {
    name: "apply",
    effect: "write",
    summary: `apply ${plan ?? ""}: changes infrastructure; what changes is only in the plan`,
    reversibility: "recoverable",
    blastRadius: "environment",
    opaque: true,
    tags: bulk,
  };
}

function state(rest: string[]): TfOp {
  const [sub = "", ...addrs] = rest;
  if (sub === "list" || sub === "show" || sub === "pull")
    return { name: `state ${sub}`, effect: "read", summary: `state ${sub} only reads` };
  if (sub === "push") {
    return {
      name: "state push",
      effect: "delete",
      summary: "state push overwrites the remote state",
      reversibility: "irreversible",
      blastRadius: "environment",
      tags: ["stateful"],
    };
  }
  return {
    name: `state ${sub}`,
    effect: sub === "rm" ? "delete" : "write",
    summary: `state ${sub} ${addrs.join(" ")}: the resources are kept, terraform forgets them`,
    reversibility: "recoverable",
    blastRadius: "service",
    targets: addrs.filter((a) => !a.startsWith("-")).map((a) => ({ type: "resource", name: a })),
  };
}

function workspace(inv: Invocation, rest: string[]): TfOp {
  const [sub = "", name = ""] = rest.filter((a) => !a.startsWith("-"));
  if (sub === "select" || sub === "new") inv.state.vars.set("TF_WORKSPACE", name);
  if (sub === "delete") {
    return {
      name: "workspace delete",
      effect: "delete",
      summary: `workspace delete ${name}: its state is lost, its resources orphaned`,
      reversibility: "irreversible",
      blastRadius: "environment",
      tags: ["stateful"],
      targets: [{ type: "workspace", name }],
      extraHints: [name],
    };
  }
  return {
    name: `workspace ${sub}`,
    effect: sub === "list" || sub === "show" ? "read" : "write",
    summary: `workspace ${sub} ${name}`,
    reversibility: "reversible",
  };
}

function operation(inv: Invocation, cmd: string, rest: string[], bulk: string[]): TfOp {
  if (READS.has(cmd)) return { name: cmd, effect: "read", summary: `${cmd} changes no infrastructure` };
  if ((cmd === "apply" || cmd === "destroy") && (cmd === "destroy" || rest.includes("-destroy")))
    return destroy(rest, bulk);
  switch (cmd) {
    case "apply":
      return apply(rest, bulk);
    case "state":
      return state(rest);
    case "workspace":
      return workspace(inv, rest);
    case "import":
    case "taint":
    case "untaint":
    case "refresh":
    case "force-unlock":
      return {
        name: cmd,
        effect: "write",
        summary: `${cmd} ${rest.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: cmd === "taint" ? "service" : "resource",
        tags: cmd === "taint" ? ["delete-then-recreate"] : [],
      };
    default:
      return {
        name: cmd || "(none)",
        effect: "execute",
        summary: `${cmd} ${rest.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: "service",
      };
  }
}

function terraform(inv: Invocation): void {
  const tool = inv.program === "tofu" ? "tofu" : inv.program === "terragrunt" ? "terragrunt" : "terraform";
  const all = inv.argv.filter((a) => !/^-chdir=/.test(a));
  let [cmd = "", ...rest] = all;
  if (cmd === "run-all" || cmd === "run") [cmd = "", ...rest] = rest.filter((a) => a !== "--");
  const bulk = all.includes("run-all") ? ["bulk"] : [];
  // Names before this command runs: `workspace select prod` only moves later commands to prod.
  const hints = environmentNames(inv, inv.argv);
  const { extraHints = [], ...spec } = operation(inv, cmd, rest, bulk);
  emit(inv, {
    ...spec,
    name: `${tool} ${spec.name}`,
    summary: `${tool} ${spec.summary}`,
    envHints: [...hints, ...extraHints],
  });
}

export const TERRAFORM: Record<string, Handler> = { terraform, tofu: terraform, terragrunt: terraform };
