import type { HttpAction } from "../../action/schema.js";
import { optionValue, type ParsedArgs } from "./args.js";
import { emitOpaque, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import { resolvePath } from "./state.js";

/** What a file or `-` (standard input) holds, when the line shows it; undefined when it does not. */
function contentOf(inv: Invocation, name: string): string | undefined {
  if (name === "-") return inv.stdin.kind === "text" && inv.stdin.known ? inv.stdin.text : undefined;
  const path = resolvePath(inv.state, name);
  return path ? inv.state.files.get(path) : undefined;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `gh api [-X METHOD] ENDPOINT [-f k=v]…`: the request it sends, judged by the HTTP analyzer. */
export function ghApi(inv: Invocation, p: ParsedArgs, endpoint: string, hints: string[]): void {
  const fields = inv.argv.flatMap((a, i) =>
    ["-f", "-F", "--field", "--raw-field"].includes(inv.argv[i - 1] ?? "") ? [a] : [],
  );
  const sends = fields.length > 0 || p.flags.has("--input");
  const method = (optionValue(p, "-X", "--method") ?? (sends ? "POST" : "GET")).toUpperCase();
  const host = optionValue(p, "--hostname") ?? inv.env.get("GH_HOST") ?? "github.com";
  const path = endpoint.replace(/^\//, "");
  const base =
    host === "github.com"
      ? "https://api.github.com"
      : `https://${host}${path === "graphql" ? "/api" : "/api/v3"}`;
  const body: Record<string, string> = {};
  let unseen = false;
  for (const f of fields) {
    const eq = f.indexOf("=");
    if (eq <= 0) continue;
    const value = f.slice(eq + 1);
    // `-F query=@mutation.graphql`: gh sends the file's content.
    const file = value.startsWith("@") ? contentOf(inv, value.slice(1)) : value;
    if (file === undefined) unseen = true;
    else body[f.slice(0, eq)] = file;
  }
  const input = optionValue(p, "--input");
  const inputText = input === undefined ? undefined : contentOf(inv, input);
  if (input !== undefined && inputText === undefined) unseen = true;
  // A GraphQL document airlock cannot see may be any mutation.
  if (unseen && path === "graphql") {
    emitOpaque(
      inv,
      "gh api graphql (opaque)",
      `gh api graphql sends a query from ${input ?? "a file"} airlock cannot see`,
    );
    return;
  }
  const headers: Record<string, string> = {};
  for (const h of inv.argv.flatMap((a, i) =>
    ["-H", "--header"].includes(inv.argv[i - 1] ?? "") ? [a] : [],
  )) {
    const colon = h.indexOf(":");
    if (colon > 0) headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const action: HttpAction = {
    kind: "http",
    method,
    url: `${base}/${path}`,
    headers,
    ...(inputText !== undefined ? { body: parsed(inputText) } : fields.length > 0 ? { body } : {}),
  };
  delegate(inv, "http", action, `gh api ${method} ${endpoint}`, hints);
}
