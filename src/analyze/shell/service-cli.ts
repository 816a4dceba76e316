import type { BlastRadius, Reversibility } from "../../action/decision.js";
import { BLAST_RADII, REVERSIBILITY } from "../../action/decision.js";
import { EFFECTS, type Effect } from "../types.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { environmentWords, specForVerdict, verdictOf } from "./leading-words.js";

/**
 * Knowledge of a family of service CLIs, as data: lines of
 * `program path… | effect reversibility radius [opaque] [local] | tags | what`.
 * A path word `-x` or `--x` must be present as a flag anywhere; `*` matches any one word; other
 * words are matched in order against the command's words that are not flags (a flag's value may
 * come before the verb, so matching may start at any of the first three such words). The longest
 * matching path wins. A command no line names is judged by its leading words (see leading-words.ts);
 * unless the family is `local`, an ordinary verb changes something remote, not the checkout.
 */
/** How a table line judges a command: `effect reversibility radius [opaque] [local] | tags | what`. */
export interface RuleShape {
  effect: Effect;
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  opaque: boolean;
  local: boolean;
  tags: string[];
  what: string;
}

interface Rule extends RuleShape {
  path: string[];
}

/** One table line's shape, tags and description; throws on an unknown effect, reversibility or radius. */
export function parseShape(shape: string, tags: string, what: string): RuleShape {
  const [effect = "", reversibility = "", blastRadius = "", ...marks] = shape.split(/\s+/);
  if (
    !(EFFECTS as readonly string[]).includes(effect) ||
    !(REVERSIBILITY as readonly string[]).includes(reversibility) ||
    !(BLAST_RADII as readonly string[]).includes(blastRadius)
  )
    throw new Error(`bad rule shape: ${shape}`);
  return {
    effect: effect as Effect,
    reversibility: reversibility as Reversibility,
    blastRadius: blastRadius as BlastRadius,
    opaque: marks.includes("opaque"),
    local: marks.includes("local"),
    tags: tags ? tags.split(/\s+/) : [],
    what,
  };
}

function parseRules(text: string): Map<string, Rule[]> {
  const byProgram = new Map<string, Rule[]>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [path = "", shape = "", tags = "", what = ""] = line.split("|").map((s) => s.trim());
    const [program = "", ...rest] = path.split(/\s+/);
    const rule: Rule = {
      path: rest.map((w) => (w.startsWith("-") ? w : w.toLowerCase())),
      ...parseShape(shape, tags, what),
    };
    byProgram.set(program, [...(byProgram.get(program) ?? []), rule]);
  }
  return byProgram;
}

function flagPresent(argv: string[], flag: string): boolean {
  return argv.some((a) => a === flag || a.startsWith(`${flag}=`) || (flag.length === 2 && a === flag));
}

function matches(rule: Rule, argv: string[], words: string[]): boolean {
  const plain = rule.path.filter((p) => !p.startsWith("-"));
  if (!rule.path.filter((p) => p.startsWith("-")).every((f) => flagPresent(argv, f))) return false;
  if (plain.length === 0) return true;
  for (let start = 0; start < Math.min(3, words.length); start++) {
    if (plain.every((p, i) => p === "*" || words[start + i]?.toLowerCase() === p)) return true;
  }
  return false;
}

function bestRule(rules: Rule[], argv: string[]): Rule | undefined {
  const words = argv.filter((a) => !a.startsWith("-"));
  let best: Rule | undefined;
  for (const r of rules) if (matches(r, argv, words) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}

interface FamilyOptions {
  /** The family's tools act on this machine (host storage, publishing builds): ordinary verbs are local. */
  local?: boolean;
}

/** Handlers for every program a table names. */
export function serviceFamily(text: string, options: FamilyOptions = {}): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const [program, rules] of parseRules(text)) {
    handlers[program] = (inv) => judge(inv, program, rules, options);
  }
  return handlers;
}

function judge(inv: Invocation, program: string, rules: Rule[], options: FamilyOptions): void {
  const verdict = verdictOf(inv.argv);
  const hints = environmentWords(inv);
  const found = verdict === "help" || verdict === "dry-run" ? undefined : bestRule(rules, inv.argv);
  const line = `${program} ${inv.argv.slice(0, 4).join(" ")}`.trim();
  if (found) {
    emit(inv, {
      name: `${program} ${found.path.join(" ")}`.trim(),
      effect: found.effect,
      summary: `${line}: ${found.what}`,
      reversibility: found.reversibility,
      blastRadius: found.blastRadius,
      tags: found.tags,
      targets: [{ type: program, name: inv.argv.filter((a) => !a.startsWith("-")).join(" ") }],
      envHints: [...(found.local ? ["local"] : []), ...hints],
      ...(found.opaque ? { opaque: true } : {}),
    });
    return;
  }
  const { local, ...spec } = specForVerdict(verdict, program, line, options.local === true);
  const sub = inv.argv.find((a) => !a.startsWith("-"));
  emit(inv, {
    name: sub ? `${program} ${sub}` : program,
    ...spec,
    targets: [{ type: program, name: inv.argv.filter((a) => !a.startsWith("-")).join(" ") }],
    envHints: [...(local ? ["local"] : []), ...hints],
  });
}
