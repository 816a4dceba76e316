import type { Action } from "../action/schema.js";
import { embeddedActions } from "../analyze/mcp/embedded.js";
import { analyzeMcpCall } from "../analyze/mcp/index.js";
import type { Analysis, Operation } from "../analyze/types.js";
import { analyzeWith } from "./analyzers.js";

/** Analyse any Action, including the SQL, command lines and requests an MCP call carries. */
export async function analyzeAction(
  action: Action,
  trustedMcpServers: ReadonlySet<string>,
): Promise<Analysis> {
  if (action.kind !== "mcp") return analyzeWith(action);
  const children = embeddedActions(action);
  const analyses: Analysis[] = [];
  for (const child of children) analyses.push(await analyzeAction(child, trustedMcpServers));
  const own = analyzeMcpCall(action, trustedMcpServers, children.length > 0);
  return mergeAnalyses([own, ...analyses]);
}

const STATUS_ORDER = ["complete", "partial", "opaque", "limited"] as const;

export function mergeAnalyses(analyses: readonly Analysis[]): Analysis {
  let status: Analysis["status"] = "complete";
  const operations: Operation[] = [];
  const envHints: string[] = [];
  const notes: string[] = [];
  for (const a of analyses) {
    if (STATUS_ORDER.indexOf(a.status) > STATUS_ORDER.indexOf(status)) status = a.status;
    operations.push(...a.operations);
    envHints.push(...a.envHints);
    notes.push(...a.notes);
  }
  return { status, operations, envHints, notes };
}
