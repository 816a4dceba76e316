import type { Action, ActionKind } from "./schema.js";

/**
 * The fields that change where or as whom an Action runs. Each is part of the digest (an approval
 * for profile `sandbox` is not one for `live-prod`) and speaks for the environment as names do.
 * Shell lines carry theirs in `cwd`, `env` and their own flags, which the shell analyzer reads; an
 * MCP call in its server's name and arguments named like places; an HTTP request in its URL.
 */
export const PLACEMENT_FIELDS: Record<ActionKind, readonly string[]> = {
  shell: [],
  sql: ["database", "host", "user"],
  aws: ["profile", "account", "role", "endpoint"],
  k8s: ["kubeContext", "cluster", "user"],
  "terraform-plan": ["workspace"],
  "cloudformation-changeset": ["profile", "account", "role"],
  mcp: [],
  http: [],
};

/** The names an Action's placement fields give, with a URL's host on its own (so `localhost` reads as loopback). */
export function placementHints(action: Action): string[] {
  const source = action as Record<string, unknown>;
  const hints: string[] = [];
  for (const field of PLACEMENT_FIELDS[action.kind]) {
    const value = source[field];
    if (typeof value !== "string" || value === "") continue;
    hints.push(value);
    const host = hostOf(value);
    if (host !== undefined && host !== value) hints.push(host);
  }
  return hints;
}

function hostOf(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    return new URL(value).hostname || undefined;
  } catch {
    return undefined;
  }
}
