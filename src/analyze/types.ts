import type { BlastRadius, Reversibility } from "../action/decision.js";

/**
 * What an operation does to the thing it touches.
 * - read: changes nothing
 * - write: creates or changes state that can be changed back
 * - delete: removes state (data, resources, capacity)
 * - privilege: changes who may do what (grants, roles, keys, policies)
 * - execute: runs something whose effect is not visible here (a script, a remote command)
 */
export const EFFECTS = ["read", "write", "delete", "privilege", "execute"] as const;
export type Effect = (typeof EFFECTS)[number];

export interface Target {
  /** What sort of thing: "table", "database", "stack", "namespace", "bucket", "instance", "path", … */
  type: string;
  name: string;
}

/** One thing an Action would do. A shell line or a multi-statement SQL string holds several. */
export interface Operation {
  /** The analyzer that found it; an mcp Action can hold sql, shell or aws operations. */
  kind: string;
  /**
   * The analyzer's own name for the operation, matched by policy `operation` globs:
   * sql "DROP TABLE", aws "cloudformation:DeleteStack", k8s "delete namespaces",
   * terraform "replace aws_db_instance", http "DELETE", mcp "server/tool".
   */
  name: string;
  effect: Effect;
  /** One line a reviewer reads at 2 a.m. */
  summary: string;
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  targets: Target[];
  /** True when the analyzer cannot see what will really happen. Never treated as safe. */
  opaque?: boolean;
  /**
   * Extra facts policies can match on, from a shared vocabulary:
   * "unbounded" (no WHERE / tautology), "stateful", "delete-then-recreate", "create-before-destroy",
   * "outage" (capacity to zero), "privilege-escalation", "wipe" (host or account), "bulk",
   * "schema-change", "data-loss", "cancellable", "loopback".
   */
  tags?: string[];
  /** Names seen on this operation that may tell its environment (a stack, a database, a context). */
  envHints?: string[];
}

/** How much of the input the analyzer could see through. */
export type AnalysisStatus = "complete" | "partial" | "opaque" | "limited";

export interface Analysis {
  status: AnalysisStatus;
  operations: Operation[];
  /** Names that apply to the whole Action (kube context, AWS profile, database, URL host). */
  envHints: string[];
  /** What was parsed and how, for `airlock explain`. */
  notes: string[];
}
