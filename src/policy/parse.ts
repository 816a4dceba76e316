import { isNode, LineCounter, parseDocument } from "yaml";
import { type LineOf, type ParsedPolicy, type PolicyError, policyFromData } from "./document.js";

export { formatPolicyErrors, type ParsedPolicy, type PolicyError } from "./document.js";

export type ParsedYaml = { ok: true; data: unknown; lineOf: LineOf } | { ok: false; errors: PolicyError[] };

/**
 * Parse YAML text, keeping where each value starts so that a later validation error can name its line.
 * Pure: the caller reads the file. Used for policies and the server's configuration alike.
 */
export function parseYamlWithLines(text: string, file: string): ParsedYaml {
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
  return { ok: true, data: doc.toJS(), lineOf };
}

/**
 * Parse and compile a policy from its YAML text. Pure: the caller reads the file.
 * Every error names the file, the line, and what is wrong.
 */
export function parsePolicy(text: string, file: string): ParsedPolicy {
  const yaml = parseYamlWithLines(text, file);
  if (!yaml.ok) return yaml;
  return policyFromData(yaml.data, file, yaml.lineOf);
}
