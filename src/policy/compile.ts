import { type Condition, compileCondition } from "./cel.js";
import { compileGlobs, type Glob } from "./glob.js";
import type { PolicyDocument, Rule } from "./schema.js";

export interface CompiledRule {
  rule: Rule;
  /** Position of the rule in its file, for messages. */
  index: number;
  kind?: Glob;
  operation?: Glob;
  tool?: Glob;
  environment?: Set<string>;
  effect?: Set<string>;
  tags?: Set<string>;
  condition?: Condition;
}

export interface CompiledPolicy {
  document: PolicyDocument;
  source: string;
  rules: CompiledRule[];
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
    const compiled: CompiledRule = {
      rule,
      index,
      kind: compileGlobs(rule.match.kind),
      operation: compileGlobs(rule.match.operation),
      tool: compileGlobs(rule.match.tool),
      environment: rule.match.environment ? new Set(rule.match.environment) : undefined,
      effect: rule.match.effect ? new Set(rule.match.effect) : undefined,
      tags: rule.match.tags ? new Set(rule.match.tags) : undefined,
    };
    if (rule.when !== undefined) {
      const condition = compileCondition(rule.when);
      if (condition.ok) compiled.condition = condition.condition;
      else
        problems.push({ path: ["rules", index, "when"], message: `rule "${rule.id}": ${condition.error}` });
    }
    return compiled;
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    policy: { document, source, rules, trustedMcpServers: new Set(document.settings.trustedMcpServers) },
  };
}
