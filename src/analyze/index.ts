import { placementHints } from "../action/placement.js";
import type { Action } from "../action/schema.js";
import { blastRank } from "./aggregate.js";
import { carriedActions } from "./carried.js";
import { embeddedActions } from "./mcp/embedded.js";
import { analyzeMcpCall } from "./mcp/index.js";
import { analyzeWith } from "./registry.js";
import type { Analysis, Operation } from "./types.js";

/**
 * Analyse any Action, including the SQL, command lines and requests an MCP call carries. Where it
 * runs (a profile, a role, a cluster, a database host) speaks for its environment as names do.
 */
export async function analyzeAction(
  action: Action,
  trustedMcpServers: ReadonlySet<string>,
): Promise<Analysis> {
  const analysis = await analyzeContent(action, trustedMcpServers);
  const placed = placementHints(action);
  return placed.length === 0 ? analysis : { ...analysis, envHints: [...analysis.envHints, ...placed] };
}

async function analyzeContent(action: Action, trustedMcpServers: ReadonlySet<string>): Promise<Analysis> {
  if (action.kind !== "mcp") return withCarried(action, await analyzeWith(action), trustedMcpServers);
  const children = embeddedActions(action);
  const analyses: Analysis[] = [];
  for (const child of children) analyses.push(await analyzeAction(child, trustedMcpServers));
  const own = analyzeMcpCall(action, trustedMcpServers, children.length > 0);
  return mergeAnalyses([own, ...analyses]);
}

/**
 * Carried content runs where its carrier sends it (a database host, every instance an SSM command
 * targets), never on this machine: the shell analyzer's "local" hint (the working tree, /tmp) does not
 * apply, the carrier's own names (its cluster, its database) tell the environment, and what it does
 * reaches at least as far as the carrier (a command sent to 30 instances runs 30 times).
 */
function relocate(analysis: Analysis, carrier: Operation, carrierHints: readonly string[]): Analysis {
  const away = (hints: readonly string[] | undefined) => [
    ...(hints ?? []).filter((h) => h !== "local"),
    ...carrierHints,
  ];
  const reach = blastRank(carrier.blastRadius);
  const bulk = carrier.tags?.includes("bulk") === true;
  return {
    ...analysis,
    envHints: away(analysis.envHints),
    operations: analysis.operations.map((op) => ({
      ...op,
      envHints: away(op.envHints),
      blastRadius:
        op.effect !== "read" && blastRank(op.blastRadius) < reach ? carrier.blastRadius : op.blastRadius,
      tags: bulk && !op.tags?.includes("bulk") ? [...(op.tags ?? []), "bulk"] : op.tags,
    })),
  };
}

/**
 * Replace each operation that carries content for another analyzer (SQL in an AWS Data API call,
 * a shell line in `COPY … PROGRAM`) by the analysis of that content, placed where it runs.
 */
async function withCarried(
  action: Action,
  analysis: Analysis,
  trusted: ReadonlySet<string>,
): Promise<Analysis> {
  const carried = carriedActions(action, analysis);
  if (carried.length === 0) return analysis;
  const replaced = new Set(carried.map((c) => c.carrier));
  const remaining = analysis.operations.filter((_, i) => !replaced.has(i));
  // The carriers were what made the outer analysis opaque; what is left is judged on its own.
  const status =
    analysis.status === "opaque" && !remaining.some((op) => op.opaque) ? "complete" : analysis.status;
  const parts: Analysis[] = [{ ...analysis, status, operations: remaining }];
  for (const { carrier, actions } of carried) {
    const op = analysis.operations[carrier];
    if (!op) continue;
    const hints = [...(op.envHints ?? []), ...analysis.envHints];
    for (const child of actions) parts.push(relocate(await analyzeAction(child, trusted), op, hints));
  }
  return mergeAnalyses(parts);
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
