import { type Condition, compileCondition } from "./cel.js";
import { type CompiledFreezeWindow, compileFreezes } from "./freeze.js";
import { compileGlobs, type Glob } from "./glob.js";
import type { Breaker, PolicyDocument, Rule, RuleMatch } from "./schema.js";

/** A `match` block with its globs and sets built once. */
export interface CompiledMatch {
  rule: { match: RuleMatch };
  kind?: Glob;
  operation?: Glob;
  tool?: Glob;
  environment?: Set<string>;
  effect?: Set<string>;
  tags?: Set<string>;
}

export interface CompiledRule extends CompiledMatch {
  rule: Rule;
  /** Position of the rule in its file, for messages. */
  index: number;
  condition?: Condition;
  shadow: boolean;
}

export interface CompiledBreaker extends CompiledMatch {
  breaker: Breaker;
  /** Absent when only an admin resets it. */
  resetAfterSeconds?: number;
}

export function compileMatch(match: RuleMatch): Omit<CompiledMatch, "rule"> {
  return {
    kind: compileGlobs(match.kind),
    operation: compileGlobs(match.operation),
    tool: compileGlobs(match.tool),
    environment: match.environment ? new Set(match.environment) : undefined,
    effect: match.effect ? new Set(match.effect) : undefined,
    tags: match.tags ? new Set(match.tags) : undefined,
  };
}

export interface CompiledPolicy {
  document: PolicyDocument;
  source: string;
  rules: CompiledRule[];
  breakers: CompiledBreaker[];
  /** The recurring freeze windows; declared freezes are in the store. */
  freezes: CompiledFreezeWindow[];
  trustedMcpServers: Set<string>;
}

export interface CompileProblem {
  /** Path inside the document, e.g. ["rules", 3, "when"]. */
  path: (string | number)[];
  message: string;
}

export function compilePolicy(
  document: PolicyDocument,
  source: string,
): { ok: true; policy: CompiledPolicy } | { ok: false; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const seen = new Set<string>();
  const rules = document.rules.map((rule, index): CompiledRule => {
    if (seen.has(rule.id))
      problems.push({ path: ["rules", index, "id"], message: `duplicate rule id "${rule.id}"` });
    seen.add(rule.id);
    const shadow = rule.mode === "shadow" || document.settings.mode === "shadow";
    const compiled: CompiledRule = { rule, index, shadow, ...compileMatch(rule.match) };
    if (rule.when !== undefined) {
      const condition = compileCondition(rule.when);
      if (condition.ok) compiled.condition = condition.condition;
      else
        problems.push({ path: ["rules", index, "when"], message: `rule "${rule.id}": ${condition.error}` });
    }
    return compiled;
  });
  const names = new Set<string>();
  const breakers = (document.breakers ?? []).map((breaker, index): CompiledBreaker => {
    if (names.has(breaker.name))
      problems.push({
        path: ["breakers", index, "name"],
        message: `duplicate breaker name "${breaker.name}"`,
      });
    names.add(breaker.name);
    const after = /^after (\d+)$/.exec(breaker.reset)?.[1];
    return {
      breaker,
      rule: breaker,
      ...compileMatch(breaker.match),
      ...(after !== undefined ? { resetAfterSeconds: Number(after) } : {}),
    };
  });
  const freezes = compileFreezes(document.freezes, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    policy: {
      document,
      source,
      rules,
      breakers,
      freezes,
      trustedMcpServers: new Set(document.settings.trustedMcpServers),
    },
  };
}
