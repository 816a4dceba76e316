import { isNode, LineCounter, parseDocument } from "yaml";
import { type CompiledPolicy, compilePolicy } from "./compile.js";
import { PolicyDocument } from "./schema.js";

export interface PolicyError {
  file: string;
  line: number;
  message: string;
}

export type ParsedPolicy = { ok: true; policy: CompiledPolicy } | { ok: false; errors: PolicyError[] };

/** Describe a document path the way a policy author reads it: rules[3].when */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/**
 * Parse and compile a policy from its YAML text. Pure: the caller reads the file.
 * Every error names the file, the line, and what is wrong.
 */
export function parsePolicy(text: string, file: string): ParsedPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? 1,
        message: `YAML syntax: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as (string | number)[], true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return 1;
  };
  const parsed = PolicyDocument.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        file,
        // A misspelt key is best shown at the key itself, not at the object holding it.
        line: lineOf(issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path),
        message: issue.path.length > 0 ? `${pathText(issue.path)}: ${issue.message}` : issue.message,
      })),
    };
  }
  const compiled = compilePolicy(parsed.data, file);
  if (!compiled.ok) {
    return {
      ok: false,
      errors: compiled.problems.map((p) => ({
        file,
        line: lineOf(p.path),
        message: `${pathText(p.path)}: ${p.message}`,
      })),
    };
  }
  return { ok: true, policy: compiled.policy };
}

export function formatPolicyErrors(errors: readonly PolicyError[]): string {
  return errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("\n");
}
