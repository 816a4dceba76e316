import { parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";
import { lookupVariable } from "./state.js";

const WITH_VALUE = new Set(
  `-a --app -c --context --profile --require-approval -o --output --toolkit-stack-name --role-arn -r
  --method -m --parameters --outputs-file -O --exclusively -e --concurrency --asset-parallelism --build
  --change-set-name --notification-arns --tags -t --qualifier --bootstrap-bucket-name`.split(/\s+/),
);
const READS = new Set(
  "diff synth synthesize ls list doctor docs doc notices acknowledge ack context metadata drift version".split(
    " ",
  ),
);

/**
 * The AWS CDK deploys CloudFormation stacks: `cdk destroy Stack` is `cloudformation:DeleteStack` and
 * goes to the aws analyzer; `cdk deploy` changes what only the synthesized templates show.
 */
function cdk(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const [cmd = "", ...stacks] = p.operands.map((o) => o.value);
  const all = p.flags.has("--all") || stacks.length === 0 || stacks.some((s) => s.includes("*"));
  const profile =
    p.values.get("--profile") ?? inv.env.get("AWS_PROFILE") ?? lookupVariable(inv.state, "AWS_PROFILE");
  const contexts = [...(p.values.get("-c") ?? p.values.get("--context") ?? "").split("=").slice(1)];
  const cwd = inv.state.cwd && inv.state.cwd !== "." ? (inv.state.cwd.split("/").pop() ?? "") : "";
  const hints = [profile, ...contexts, cwd].filter((h): h is string => !!h);
  if (cmd === "destroy" && !all) {
    for (const stack of stacks) {
      delegate(
        inv,
        "aws",
        { kind: "aws", service: "cloudformation", operation: "DeleteStack", params: { StackName: stack } },
        `cdk destroy ${stack}`,
        hints,
      );
    }
    return;
  }
  const spec = operation(cmd, stacks, all, p);
  const local = cmd === "init" || cmd === "migrate" ? ["local"] : [];
  emit(inv, { ...spec, envHints: [...hints, ...stacks.filter((s) => !s.includes("*")), ...local] });
}

function operation(
  cmd: string,
  stacks: string[],
  all: boolean,
  p: ReturnType<typeof parseArgs>,
): Omit<OpSpec, "envHints"> {
  const which = stacks.length === 0 || p.flags.has("--all") ? "every stack in the app" : stacks.join(" ");
  const targets = stacks.map((name) => ({ type: "stack", name }));
  const bulk = all || stacks.length > 1 ? ["bulk"] : [];
  if (READS.has(cmd))
    return { name: `cdk ${cmd}`, effect: "read", summary: `cdk ${cmd} changes no infrastructure` };
  switch (cmd) {
    case "destroy":
      return {
        name: "cdk destroy",
        effect: "delete",
        summary: `cdk destroy deletes ${which} and their resources${p.flags.has("--force") || p.flags.has("-f") ? " without asking" : ""}`,
        reversibility: "irreversible",
        blastRadius: "environment",
        targets,
        tags: ["stateful", "data-loss", ...bulk],
      };
    case "deploy":
    case "watch": {
      const unasked = p.values.get("--require-approval") === "never" ? " without asking" : "";
      const hotswap = p.flags.has("--hotswap") || p.flags.has("--hotswap-fallback") || cmd === "watch";
      return {
        name: `cdk ${cmd}`,
        effect: "write",
        summary: `cdk ${cmd} ${which}${unasked}${hotswap ? ", hot-swapping around CloudFormation" : ""}: what changes is only in the synthesized templates`,
        reversibility: "recoverable",
        blastRadius: "environment",
        opaque: true,
        targets,
        tags: bulk,
      };
    }
    case "bootstrap":
      return {
        name: "cdk bootstrap",
        effect: "write",
        summary: "cdk bootstrap creates the CDKToolkit stack and its deployment roles in the account",
        reversibility: "recoverable",
        blastRadius: "account",
      };
    case "rollback":
    case "import":
      return {
        name: `cdk ${cmd}`,
        effect: "write",
        summary: `cdk ${cmd} ${which}`,
        reversibility: "recoverable",
        blastRadius: "environment",
        targets,
      };
    case "gc":
      return {
        name: "cdk gc",
        effect: "delete",
        summary: "cdk gc deletes assets no stack uses",
        reversibility: "recoverable",
        blastRadius: "service",
      };
    case "init":
    case "migrate":
      return {
        name: `cdk ${cmd}`,
        effect: "write",
        summary: `cdk ${cmd} writes project files here`,
        reversibility: "reversible",
        blastRadius: "resource",
      };
    default:
      return {
        name: `cdk ${cmd || "(none)"}`,
        effect: "execute",
        summary: `cdk ${cmd}: a command airlock has no rules for`,
        reversibility: "recoverable",
        blastRadius: "service",
      };
  }
}

export const CDK: Record<string, Handler> = { cdk };
