import type { UpstreamLink } from "./upstream.js";

/** How several servers' tools and prompts are named: prefixed always, or only where names collide. */
export type NamePrefix = "auto" | "always";

/** Between the server's name and the tool's: `filesystem__write_file`. */
export const PREFIX_SEPARATOR = "__";

export interface Named {
  name: string;
}

/** One server's part of a merged listing. */
export interface Group<T> {
  link: UpstreamLink;
  items: T[];
}

/** Where an exposed name leads: the server, and the item's own name there. */
export interface Origin {
  link: UpstreamLink;
  name: string;
}

/**
 * Merge several servers' tools (or prompts) into one list. A name only one server uses is kept as it
 * is; a name two servers use, or every name with `always`, becomes `server__name`.
 */
export function exposeNames<T extends Named>(
  groups: readonly Group<T>[],
  prefix: NamePrefix,
): { items: T[]; origins: Map<string, Origin> } {
  const count = new Map<string, number>();
  for (const g of groups) for (const item of g.items) count.set(item.name, (count.get(item.name) ?? 0) + 1);
  const items: T[] = [];
  const origins = new Map<string, Origin>();
  for (const { link, items: own } of groups) {
    for (const item of own) {
      const exposed =
        prefix === "always" || (count.get(item.name) ?? 0) > 1
          ? `${link.name}${PREFIX_SEPARATOR}${item.name}`
          : item.name;
      origins.set(exposed, { link, name: item.name });
      items.push(exposed === item.name ? item : { ...item, name: exposed });
    }
  }
  return { items, origins };
}

type Capabilities = Record<string, Record<string, unknown>>;

/**
 * The union of the servers' capabilities: a feature any of them offers is offered, and a flag any of
 * them sets (listChanged, subscribe) is set. Tasks are left out: a task lives on one server, and the
 * combined proxy does not route tasks/* to it.
 */
export function mergeCapabilities(all: readonly Record<string, unknown>[]): Capabilities {
  const merged: Capabilities = {};
  for (const caps of all) {
    for (const [feature, value] of Object.entries(caps)) {
      if (feature === "tasks" || value === null || typeof value !== "object") continue;
      const into = merged[feature] ?? {};
      merged[feature] = into;
      for (const [flag, on] of Object.entries(value as Record<string, unknown>)) {
        if (on === true || into[flag] === undefined) into[flag] = on;
      }
    }
  }
  return merged;
}

/** One initialize answer for the client, made from each server's. */
export function mergeInitialize(results: readonly { link: UpstreamLink; result: Record<string, unknown> }[]) {
  const instructions = results
    .filter((r) => typeof r.result.instructions === "string" && r.result.instructions !== "")
    .map((r) => `## ${r.link.name}\n${r.result.instructions as string}`);
  return {
    protocolVersion: results[0]?.result.protocolVersion,
    capabilities: mergeCapabilities(results.map((r) => r.link.capabilities)),
    serverInfo: { name: "airlock-mcp-proxy", version: "0.1.0" },
    ...(instructions.length > 0 ? { instructions: instructions.join("\n\n") } : {}),
  };
}
