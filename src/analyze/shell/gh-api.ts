import type { HttpAction } from "../../action/schema.js";
import { optionValue, type ParsedArgs } from "./args.js";
import type { Invocation } from "./context.js";
import { delegate } from "./delegates.js";

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
  for (const f of fields) {
    const eq = f.indexOf("=");
    if (eq > 0) body[f.slice(0, eq)] = f.slice(eq + 1);
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
    ...(fields.length > 0 ? { body } : {}),
  };
  delegate(inv, "http", action, `gh api ${method} ${endpoint}`, hints);
}
