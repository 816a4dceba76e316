import type { AwsAction, HttpAction, K8sAction, SqlAction } from "../../action/schema.js";
import { readyAnalyzer } from "../registry.js";
import type { Analysis } from "../types.js";
import { emitDelegated, emitOpaque, type Invocation } from "./context.js";
import { Memo } from "./memo.js";

/**
 * Shell lines delegate to the other analyzers (SQL inside `psql -c`, `aws …`, `kubectl …`, `curl …`)
 * through the one registry (../registry.ts). An analyzer not loaded yet is recorded in the session
 * as wanted, and the line gets an opaque operation; analyzeShellLoading loads what was wanted and
 * analyses the line again. An analyzer that fails to load stays opaque, never safe, and is tried
 * again by the next line that needs it.
 */
type Kinds = { sql: SqlAction; aws: AwsAction; k8s: K8sAction; http: HttpAction };
export type DelegatedAction = Kinds[keyof Kinds];

/**
 * Delegated analyses of recent actions. The analyzers are pure, and the same `psql -c …` or
 * `aws s3 ls` recurs; their results are only read (emitDelegated copies what it keeps).
 */
const memo = new Memo<Analysis>(512, 512);

function remembered(analyze: (a: DelegatedAction) => Analysis, action: DelegatedAction): Analysis {
  const key = JSON.stringify(action);
  const hit = memo.get(key);
  if (hit) return hit;
  const analysis = analyze(action);
  memo.set(key, analysis);
  return analysis;
}

/** Run a delegated analyzer and record its operations; failure is opaque, never safe. */
export function delegate<K extends keyof Kinds>(
  inv: Invocation,
  kind: K,
  action: Kinds[K],
  what: string,
  hints: string[] = [],
): void {
  const analyze = readyAnalyzer(action);
  if (!analyze) {
    inv.session.wanted.push(action);
    emitOpaque(inv, `${inv.program} (unanalysed)`, `${what}: the ${kind} analyzer is not available`, {
      envHints: hints,
    });
    return;
  }
  try {
    const analysis = remembered((a) => {
      const result = analyze(a);
      if (result instanceof Promise) throw new Error(`the ${kind} analyzer is not synchronous`);
      return result;
    }, action);
    emitDelegated(inv, { ...analysis, envHints: [...analysis.envHints, ...hints] });
  } catch (error) {
    emitOpaque(inv, `${inv.program} (unanalysed)`, `${what}: ${kind} analysis failed (${String(error)})`, {
      envHints: hints,
    });
  }
}
