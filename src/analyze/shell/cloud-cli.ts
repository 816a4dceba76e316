import type { BlastRadius, Reversibility } from "../../action/decision.js";
import { BLAST_RADII, REVERSIBILITY } from "../../action/decision.js";
import { EFFECTS, type Effect } from "../types.js";

/**
 * What the cloud CLIs without an analyzer of their own (gcloud, az) do, from the command path
 * (`compute instances delete`, `group delete`) and its verb. Known dangerous paths come from a
 * table; everything else is judged by its verb, never as safe when the verb is unknown.
 */
export interface CloudRule {
  effect: Effect;
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  tags: string[];
  /** What it does, for the summary: "deletes the project and every resource in it". */
  what: string;
  opaque?: boolean;
}

/** Lines of `path | effect reversibility radius | tags | what`. */
export function ruleTable(text: string): Map<string, CloudRule> {
  const rules = new Map<string, CloudRule>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [path = "", shape = "", tags = "", what = ""] = line.split("|").map((s) => s.trim());
    const [effect, reversibility, blastRadius, opaque] = shape.split(/\s+/);
    if (
      !(EFFECTS as readonly string[]).includes(effect ?? "") ||
      !(REVERSIBILITY as readonly string[]).includes(reversibility ?? "") ||
      !(BLAST_RADII as readonly string[]).includes(blastRadius ?? "")
    )
      throw new Error(`bad cloud rule: ${line}`);
    rules.set(path, {
      effect: effect as Effect,
      reversibility: reversibility as Reversibility,
      blastRadius: blastRadius as BlastRadius,
      tags: tags ? tags.split(/\s+/) : [],
      what,
      ...(opaque === "opaque" ? { opaque: true } : {}),
    });
  }
  return rules;
}

const words = (s: string) => new Set(s.trim().split(/\s+/));

export const READ_VERBS = words(`list ls describe show get read tail logs log wait exists check validate
  version info help browse search query get-iam-policy print-access-token print-identity-token
  list-grantable-roles get-value get-server-config show-connection-string test-iam-permissions`);
const DELETE_VERBS = words("delete remove rm purge destroy rb delete-batch rmdir");
const OUTAGE_VERBS = words("stop deallocate suspend disable shutdown restart");
const PRIVILEGE_VERBS = words(`add-iam-policy-binding set-iam-policy remove-iam-policy-binding
  create-for-rbac credential-reset reset-credentials`);

/** Every verb the CLIs share: the first one in a command's words ends its path. */
export const VERBS = new Set([
  ...READ_VERBS,
  ...DELETE_VERBS,
  ...OUTAGE_VERBS,
  ...PRIVILEGE_VERBS,
  ...words(`create update set patch deploy start restart resize reset add import export move copy cp mv
    rsync sync submit run execute enable upgrade install login logout init ssh scp connect attach
    rollback restore undelete unset apply invoke call publish rotate cancel swap scale`),
]);

/** Roles that hand over a project, subscription or organization. */
export const ADMIN_ROLE =
  /^(roles\/(owner|editor|iam\.\w*[Aa]dmin|resourcemanager\.\w*[Aa]dmin)|owner|contributor|user access administrator|role based access control administrator)$/i;

/** `get-credentials`, `delete-batch`: verbs the sets do not name, known by their first word. */
const VERB_PREFIX =
  /^(get|list|describe|show|print|delete|remove|create|set|update|add|reset|enable|disable|start|stop|import|export)-/;

export function isVerb(word: string): boolean {
  return VERBS.has(word) || VERB_PREFIX.test(word);
}

/** A command path no table names, judged by its verb. */
export function ruleForVerb(word: string, targets: number): CloudRule {
  const verb = VERBS.has(word) ? word : (VERB_PREFIX.exec(word)?.[1] ?? word);
  const many = targets > 1;
  if (READ_VERBS.has(verb)) return rule("read", "reversible", "none", [], "only reads");
  if (DELETE_VERBS.has(verb))
    return rule("delete", "irreversible", many ? "service" : "resource", many ? ["bulk"] : [], "deletes it");
  if (OUTAGE_VERBS.has(verb))
    return rule(
      "write",
      "recoverable",
      many ? "service" : "resource",
      ["outage"],
      "stops it until restarted",
    );
  if (PRIVILEGE_VERBS.has(verb))
    return rule("privilege", "reversible", "service", [], "changes who may do what");
  if (verb === "ssh" || verb === "run" || verb === "execute" || verb === "invoke" || verb === "call")
    return rule("execute", "recoverable", "service", [], "runs something whose effect is not visible here");
  if (VERBS.has(verb)) return rule("write", "recoverable", many ? "service" : "resource", [], "changes it");
  return {
    ...rule("execute", "recoverable", "service", [], "a command airlock has no rules for"),
    opaque: true,
  };
}

function rule(
  effect: Effect,
  reversibility: Reversibility,
  blastRadius: BlastRadius,
  tags: string[],
  what: string,
): CloudRule {
  return { effect, reversibility, blastRadius, tags, what };
}

/** `--help`, `-h` or `help …`: prints usage, runs nothing. */
export function isHelp(c: CloudCommand): boolean {
  return c.flags.has("--help") || c.flags.has("-h") || c.path[0] === "help" || c.verb === "help";
}

/** A rule applied to several names at once is bulk work. */
export function withCount(found: CloudRule, names: number): CloudRule {
  return names > 1 && found.effect === "delete" && !found.tags.includes("bulk")
    ? { ...found, tags: [...found.tags, "bulk"] }
    : found;
}

export interface CloudCommand {
  /** The command path up to and including its verb: ["compute", "instances", "delete"]. */
  path: string[];
  verb: string;
  /** Positional words after the verb: resource names, URLs. */
  names: string[];
  /** `--flag value` and `--flag=value`; flags without a value map to "". */
  flags: Map<string, string>;
}

/**
 * Split `gcloud`/`az` arguments: flags (the ones in `withValue` take the next word), then the
 * command path up to its first verb, then positional names.
 */
export function cloudCommand(
  argv: string[],
  withValue: ReadonlySet<string>,
  short: ReadonlyMap<string, string>,
): CloudCommand {
  const flags = new Map<string, string>();
  const plain: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("-") || a === "-") {
      plain.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = short.get(eq < 0 ? a : a.slice(0, eq)) ?? (eq < 0 ? a : a.slice(0, eq));
    if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else if (withValue.has(name) && i + 1 < argv.length) flags.set(name, argv[++i] ?? "");
    else flags.set(name, "");
  }
  const start = plain[0] === "alpha" || plain[0] === "beta" ? 1 : 0;
  let at = plain.findIndex((w, i) => i > start && isVerb(w));
  if (at < 0) at = plain.length - 1;
  return { path: plain.slice(start, at + 1), verb: plain[at] ?? "", names: plain.slice(at + 1), flags };
}
