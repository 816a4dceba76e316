import * as z from "zod/mini";
import "../action/zod.js";

/**
 * Who or what a pause, a freeze or a breaker's trip applies to: every agent, one agent, the agents
 * acting for one person, or one environment. Stored and shown as text (`all`, `agent:NAME`,
 * `onBehalfOf:PERSON`, `env:ENVIRONMENT`); this file is the one place that text is read and written.
 */
export const SCOPE_KINDS = ["all", "agent", "onBehalfOf", "env"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export type Scope = { kind: "all" } | { kind: Exclude<ScopeKind, "all">; name: string };

/** A name in a scope: not empty, no control characters, not starting with a space or a colon, at most 200 characters. */
const NAME = "[^\\s:\\x00-\\x1f\\x7f][^\\x00-\\x1f\\x7f]{0,199}";
const SCOPE_TEXT = new RegExp(`^(?:all|(?:agent|onBehalfOf|env):${NAME})$`);
const SCOPE_NAME = new RegExp(`^${NAME}$`);

/** The name in a scope, for a schema that takes it apart from its kind (an API body's `agent`, `env`). */
export const ScopeName = z
  .string()
  .check(
    z.regex(
      SCOPE_NAME,
      "a name is at most 200 characters, without line breaks, not starting with a space or ':'",
    ),
  );

/** The stored form, for schemas of records and audit entries that carry a scope. */
export const ScopeText = z
  .string()
  .check(z.regex(SCOPE_TEXT, "a scope is all, agent:NAME, onBehalfOf:PERSON or env:ENVIRONMENT"));

export const ALL: Scope = { kind: "all" };
export const agentScope = (name: string): Scope => ({ kind: "agent", name });
export const personScope = (name: string): Scope => ({ kind: "onBehalfOf", name });
export const envScope = (name: string): Scope => ({ kind: "env", name });

export type ParsedScope = { ok: true; scope: Scope } | { ok: false; error: string };

/** The scope a text names, or why it names none. */
export function parseScope(text: string): ParsedScope {
  if (!SCOPE_TEXT.test(text))
    return {
      ok: false,
      error: `"${text.slice(0, 80)}" is not a scope: use all, agent:NAME, onBehalfOf:PERSON or env:ENVIRONMENT`,
    };
  if (text === "all") return { ok: true, scope: ALL };
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon) as Exclude<ScopeKind, "all">;
  return { ok: true, scope: { kind, name: text.slice(colon + 1) } };
}

/** The scope of a kind and a name, as people give them apart (a form's select and field, a CLI flag). */
export function scopeOf(kind: ScopeKind, name: string | undefined): ParsedScope {
  if (kind === "all") return { ok: true, scope: ALL };
  if (name === undefined || !SCOPE_NAME.test(name))
    return { ok: false, error: `a ${kind} scope needs a name (no line breaks, at most 200 characters)` };
  return { ok: true, scope: { kind, name } };
}

/** The stored text of a scope. */
export function formatScope(scope: Scope): string {
  return scope.kind === "all" ? "all" : `${scope.kind}:${scope.name}`;
}

/** A scope as people read it: "agent kiro-7", "environment production", "every agent". */
export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case "all":
      return "every agent";
    case "agent":
      return `agent ${scope.name}`;
    case "onBehalfOf":
      return `agents acting for ${scope.name}`;
    case "env":
      return `environment ${scope.name}`;
  }
}

/** Stored text as people read it; text that names no scope is shown as it is, quoted. */
export function describeScopeText(text: string): string {
  const parsed = parseScope(text);
  return parsed.ok ? describeScope(parsed.scope) : `scope ${JSON.stringify(text)}`;
}
