import { optionValue, type ParsedArgs, parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";
import { lookupVariable } from "./state.js";

const WITH_VALUE = new Set(
  `-s --stack -C --cwd --target -t --replace --exclude --message -m --config -c --config-file --parallel -p
  --secrets-provider --color --policy-pack --target-dependents --diff --suppress-outputs`.split(/\s+/),
);
const READS = new Set([
  "preview",
  "pre",
  "whoami",
  "version",
  "about",
  "logs",
  "help",
  "console",
  "org",
  "env",
]);
const STACK_READS = new Set(["", "ls", "output", "history", "export", "graph", "tag ls"]);
const LOCAL = new Set([
  "login",
  "logout",
  "new",
  "install",
  "convert",
  "plugin",
  "config",
  "policy",
  "schema",
  "package",
]);
/** A variable of airlock's own: the stack `pulumi stack select` chose for later commands on the line. */
const SELECTED_STACK = "PULUMI_STACK";

type PulumiOp = Omit<OpSpec, "envHints">;

/** `pulumi up` and `pulumi destroy`: the stack's resources change, as terraform's do. */
function deploy(cmd: string, p: ParsedArgs): PulumiOp {
  const targets = [...(optionValue(p, "--target", "-t") ? [optionValue(p, "--target", "-t") as string] : [])];
  const asked = p.flags.has("--yes") || p.flags.has("-y") ? " without asking" : "";
  const resources = targets.map((name) => ({ type: "resource", name }));
  if (cmd === "destroy") {
    return {
      name: "pulumi destroy",
      effect: "delete",
      summary: `pulumi destroy deletes ${targets.join(", ") || "every resource in the stack"}${asked}`,
      reversibility: "irreversible",
      blastRadius: targets.length > 0 ? "service" : "environment",
      targets: resources,
      tags: ["stateful", "data-loss"],
    };
  }
  const replaced = optionValue(p, "--replace");
  if (replaced) {
    return {
      name: "pulumi up --replace",
      effect: "delete",
      summary: `pulumi up --replace destroys and recreates ${replaced}${asked}`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: [{ type: "resource", name: replaced }],
      tags: ["delete-then-recreate"],
    };
  }
  return {
    name: "pulumi up",
    effect: "write",
    summary: `pulumi ${cmd} changes the stack's infrastructure${asked}; what changes is only in the preview`,
    reversibility: "recoverable",
    blastRadius: targets.length > 0 ? "service" : "environment",
    opaque: true,
    targets: resources,
  };
}

function stack(inv: Invocation, words: string[], p: ParsedArgs): PulumiOp {
  const [sub = "", name = ""] = words;
  if (STACK_READS.has(sub))
    return { name: `pulumi stack ${sub}`.trim(), effect: "read", summary: "reads the stack" };
  if (sub === "select" || sub === "init") inv.state.vars.set(SELECTED_STACK, name);
  if (sub === "rm") {
    return {
      name: "pulumi stack rm",
      effect: "delete",
      summary: `pulumi stack rm ${name}: its state and history are lost${p.flags.has("--force") || p.flags.has("-f") ? ", its resources orphaned" : ""}`,
      reversibility: "irreversible",
      blastRadius: "environment",
      targets: [{ type: "stack", name }],
      tags: ["stateful"],
    };
  }
  return {
    name: `pulumi stack ${sub}`,
    effect: "write",
    summary: `pulumi stack ${sub} ${name}`,
    reversibility: "reversible",
    blastRadius: "resource",
  };
}

function operation(inv: Invocation, cmd: string, words: string[], p: ParsedArgs): PulumiOp {
  if (READS.has(cmd) || (cmd === "config" && (words[0] ?? "get") === "get"))
    return { name: `pulumi ${cmd}`, effect: "read", summary: `pulumi ${cmd} changes nothing` };
  switch (cmd) {
    case "up":
    case "update":
    case "watch":
    case "destroy":
      return deploy(cmd, p);
    case "stack":
      return stack(inv, words, p);
    case "state": {
      const [sub = "", ...urns] = words;
      return {
        name: `pulumi state ${sub}`,
        effect: sub === "delete" ? "delete" : "write",
        summary: `pulumi state ${sub} ${urns.join(" ")}: the resources are kept, pulumi forgets or changes its record of them`,
        reversibility: "recoverable",
        blastRadius: "service",
        targets: urns.map((name) => ({ type: "resource", name })),
      };
    }
    case "refresh":
    case "import":
    case "cancel":
      return {
        name: `pulumi ${cmd}`,
        effect: "write",
        summary: `pulumi ${cmd} ${words.join(" ")}`,
        reversibility: "recoverable",
        blastRadius: "resource",
      };
    default:
      if (LOCAL.has(cmd))
        return {
          name: `pulumi ${cmd}`,
          effect: "write",
          summary: `pulumi ${cmd}: changes this machine or the project's files`,
          reversibility: "reversible",
        };
      return {
        name: `pulumi ${cmd || "(none)"}`,
        effect: "execute",
        summary: `pulumi ${cmd}: a command airlock has no rules for`,
        reversibility: "recoverable",
        blastRadius: "service",
      };
  }
}

function pulumi(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const [cmd = "", ...words] = p.operands.map((o) => o.value);
  const stackName =
    optionValue(p, "-s", "--stack") ??
    inv.env.get(SELECTED_STACK) ??
    lookupVariable(inv.state, SELECTED_STACK);
  const dir = optionValue(p, "-C", "--cwd") ?? inv.state.cwd ?? "";
  const project = dir === "." ? "" : (dir.split("/").filter(Boolean).pop() ?? "");
  const spec = operation(inv, cmd, words, p);
  const named = (spec.targets ?? []).map((t) => t.name);
  const hints = [stackName, project, ...named, ...(LOCAL.has(cmd) ? ["local"] : [])].filter(
    (h): h is string => !!h,
  );
  const targets = spec.targets?.length ? spec.targets : stackName ? [{ type: "stack", name: stackName }] : [];
  emit(inv, { ...spec, targets, envHints: hints });
}

export const PULUMI: Record<string, Handler> = { pulumi };
