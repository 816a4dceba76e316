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

function terraform(inv: Invocation): void {
  const tool = inv.program === "tofu" ? "tofu" : inv.program === "terragrunt" ? "terragrunt" : "terraform";
  const all = inv.argv.filter((a) => !/^-chdir=/.test(a));
  let [cmd = "", ...rest] = all;
  if (cmd === "run-all" || cmd === "run") [cmd = "", ...rest] = rest.filter((a) => a !== "--");
  const hints = environmentNames(inv, inv.argv);
  const op = (name: string, spec: Omit<OpSpec, "name" | "envHints">) =>
    emit(inv, { ...spec, name: `${tool} ${name}`, summary: `${tool} ${spec.summary}`, envHints: hints });
  if (READS.has(cmd)) return op(cmd, { effect: "read", summary: `${cmd} changes no infrastructure` });
  const destroying = cmd === "destroy" || rest.includes("-destroy");
  const bulk = all.includes("run-all") || inv.argv.includes("run-all") ? ["bulk"] : [];
  if ((cmd === "apply" || cmd === "destroy") && destroying) {
    const targets = rest
      .filter((a) => a.startsWith("-target="))
      .map((a) => ({ type: "resource", name: a.slice(8) }));
    return op("destroy", {
      effect: "delete",
      summary: `destroy deletes ${targets.length > 0 ? targets.map((t) => t.name).join(", ") : "every resource in the workspace"}${rest.includes("-auto-approve") || rest.includes("--auto-approve") ? " without asking" : ""}`,
      reversibility: "irreversible",
      blastRadius: targets.length > 0 ? "service" : "environment",
      targets,
      tags: ["stateful", "data-loss", ...bulk],
    });
  }
  switch (cmd) {
    case "apply": {
      const replaced = rest.filter((a) => a.startsWith("-replace=")).map((a) => a.slice(9));
      if (replaced.length > 0) {
        return op("apply -replace", {
          effect: "delete",
          summary: `apply -replace destroys and recreates ${replaced.join(", ")}`,
          reversibility: "irreversible",
          blastRadius: "service",
          targets: replaced.map((r) => ({ type: "resource", name: r })),
          tags: ["delete-then-recreate"],
        });
      }
      const plan = rest.find((a) => !a.startsWith("-"));
      return op("apply", {
        effect: "write",
        summary: `apply ${plan ?? ""}: changes infrastructure; what changes is only in the plan`,
        reversibility: "recoverable",
        blastRadius: "environment",
        opaque: true,
        tags: bulk,
      });
    }
    case "state": {
      const [sub = "", ...addrs] = rest;
      if (sub === "list" || sub === "show" || sub === "pull")
        return op(`state ${sub}`, { effect: "read", summary: `state ${sub} only reads` });
      if (sub === "push")
        return op("state push", {
          effect: "delete",
          summary: "state push overwrites the remote state",
          reversibility: "irreversible",
          blastRadius: "environment",
          tags: ["stateful"],
        });
      return op(`state ${sub}`, {
        effect: sub === "rm" ? "delete" : "write",
        summary: `state ${sub} ${addrs.join(" ")}: the resources are kept, terraform forgets them`,
        reversibility: "recoverable",
        blastRadius: "service",
        targets: addrs.filter((a) => !a.startsWith("-")).map((a) => ({ type: "resource", name: a })),
      });
    }
    case "workspace": {
      const [sub = "", name = ""] = rest.filter((a) => !a.startsWith("-"));
      if (sub === "select" || sub === "new") inv.state.vars.set("TF_WORKSPACE", name);
      if (sub === "delete")
        return emit(inv, {
          name: `${tool} workspace delete`,
          effect: "delete",
          summary: `${tool} workspace delete ${name}: its state is lost, its resources orphaned`,
          reversibility: "irreversible",
          blastRadius: "environment",
          tags: ["stateful"],
          targets: [{ type: "workspace", name }],
          envHints: [...hints, name],
        });
      return op(`workspace ${sub}`, {
        effect: sub === "list" || sub === "show" ? "read" : "write",
        summary: `workspace ${sub} ${name}`,
        reversibility: "reversible",
      });
    }
    case "import":
    case "taint":
    case "untaint":
    case "refresh":
    case "force-unlock":
      return op(cmd, {
        effect: "write",
        summary: `${cmd} ${rest.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: cmd === "taint" ? "service" : "resource",
        tags: cmd === "taint" ? ["delete-then-recreate"] : [],
      });
    default:
      return op(cmd || "(none)", {
        effect: "execute",
        summary: `${cmd} ${rest.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: "service",
      });
  }
}

export const TERRAFORM: Record<string, Handler> = { terraform, tofu: terraform, terragrunt: terraform };
