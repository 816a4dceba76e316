import type * as z from "zod/mini";
import { type CompiledPolicy, compilePolicy } from "./compile.js";
import { PolicyDocument } from "./schema.js";

export interface PolicyError {
  file: string;
  line: number;
  message: string;
}

export type ParsedPolicy = { ok: true; policy: CompiledPolicy } | { ok: false; errors: PolicyError[] };

/** Where a path inside the document starts in its file; 1 when the document has no text. */
export type LineOf = (path: readonly PropertyKey[]) => number;

/** Describe a document path the way a policy author reads it: rules[3].when */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/** Schema violations as `file:line: path: message`, for any YAML document validated by a zod schema. */
export function schemaErrors(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  lineOf: LineOf,
): PolicyError[] {
  return issues.map((issue) => ({
    file,
    // A misspelt key is best shown at the key itself, not at the object holding it.
    line: lineOf(issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path),
    message: issue.path.length > 0 ? `${pathText(issue.path)}: ${issue.message}` : issue.message,
  }));
}

/** Validate and compile a policy document already read from YAML (or JSON). Pure; never throws. */
export function policyFromData(data: unknown, file: string, lineOf: LineOf = () => 1): ParsedPolicy {
  const parsed = PolicyDocument.safeParse(data);
  if (!parsed.success) return { ok: false, errors: schemaErrors(parsed.error.issues, file, lineOf) };
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
