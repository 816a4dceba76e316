/**
 * What every submission must be before anything else looks at it: text that is valid Unicode (no lone
 * surrogate, which no JSON canonicalization, digest or audit entry can carry) and nesting no deeper than
 * MAX_INPUT_DEPTH (a Terraform plan is a few dozen levels; ten thousand only exhausts stacks). Both walks
 * are iterative, so the check itself cannot overflow. Pure.
 */

export const MAX_INPUT_DEPTH = 256;
/** How deep the audit log's copy of a refused input goes. */
const KEPT_DEPTH = 16;

export type Screened =
  | { ok: true }
  | { ok: false; code: "invalid_action" | "parse_limit"; field: string; message: string };

export function screenInput(input: unknown, intent?: unknown): Screened {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: "", depth: 0 }];
  if (typeof intent === "string" && !intent.isWellFormed()) return badText("intent");
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === "string") {
      if (!value.isWellFormed()) return badText(path || "(the action)");
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH)
      return {
        ok: false,
        code: "parse_limit",
        field: path,
        message: `the action is nested deeper than ${MAX_INPUT_DEPTH} levels (at ${path}); airlock does not judge what it cannot follow`,
      };
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) return badText(`${path ? `${path}.` : ""}(a key)`);
      stack.push({ value: child, path: at, depth: depth + 1 });
    }
  }
  return { ok: true };
}

function badText(field: string): Screened {
  return {
    ok: false,
    code: "invalid_action",
    field,
    message: `field "${field}" holds invalid Unicode text (a lone surrogate); send well-formed UTF-16/UTF-8`,
  };
}

/**
 * A copy of a refused input the audit log can hold: every string well formed (lone surrogates become
 * U+FFFD) and nothing below KEPT_DEPTH levels (replaced by a note saying so).
 */
export function auditableCopy(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.toWellFormed();
  if (typeof value !== "object" || value === null) return value;
  if (depth >= KEPT_DEPTH) return `[nested deeper than ${KEPT_DEPTH} levels: not kept]`;
  if (Array.isArray(value)) return value.map((v) => auditableCopy(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.toWellFormed(), auditableCopy(v, depth + 1)]),
  );
}
