import { isNode, LineCounter, parseDocument } from "yaml";
import { type ParsedPolicy, policyFromData } from "./document.js";

export { formatPolicyErrors, type ParsedPolicy, type PolicyError } from "./document.js";

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
  return policyFromData(doc.toJS(), file, lineOf);
}
