import type { AwsAction, HttpAction, K8sAction, SqlAction } from "../../action/schema.js";
import type { Analysis } from "../types.js";
import { emitDelegated, emitOpaque, type Invocation } from "./context.js";
import { Memo } from "./memo.js";

/**
 * The analyzers shell lines delegate to (SQL inside `psql -c`, `aws …`, `kubectl …`, `curl …`).
 * They are loaded once in loadShell(); when one is missing or fails, the operation is opaque.
 */
interface Delegates {
  sql?: (a: SqlAction) => Analysis;
  aws?: (a: AwsAction) => Analysis;
  k8s?: (a: K8sAction) => Analysis;
  http?: (a: HttpAction) => Analysis;
}
const delegates: Delegates = {};

async function attempt(load: () => Promise<void>): Promise<void> {
  try {
    await load();
  } catch {
    // Left undefined: analysing that kind yields an opaque operation, never a safe one.
  }
}

export async function loadDelegates(): Promise<void> {
  await Promise.all([
    attempt(async () => {
      const m = await import("../sql/index.js");
      await m.loadSql();
      delegates.sql = m.analyzeSql;
    }),
    attempt(async () => {
      const m = await import("../aws/index.js");
      const load = (m as { loadAws?: () => Promise<void> }).loadAws;
      if (load) await load();
      delegates.aws = m.analyzeAws;
    }),
    attempt(async () => {
      delegates.k8s = (await import("../k8s.js")).analyzeK8s;
    }),
    attempt(async () => {
      delegates.http = (await import("../http.js")).analyzeHttp;
    }),
  ]);
}

type Kinds = { sql: SqlAction; aws: AwsAction; k8s: K8sAction; http: HttpAction };

/**
 * Delegated analyses of recent actions. The analyzers are pure, and the same `psql -c …` or
 * `aws s3 ls` recurs; their results are only read (emitDelegated copies what it keeps).
 */
const memo = new Memo<Analysis>(512, 512);

function remembered<A>(kind: string, analyze: (a: A) => Analysis, action: A): Analysis {
  const key = kind + JSON.stringify(action);
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
  const analyze = delegates[kind] as ((a: Kinds[K]) => Analysis) | undefined;
  if (!analyze) {
    emitOpaque(inv, `${inv.program} (unanalysed)`, `${what}: the ${kind} analyzer is not available`, {
      envHints: hints,
    });
    return;
  }
  try {
    const analysis = remembered(kind, analyze, action);
    emitDelegated(inv, { ...analysis, envHints: [...analysis.envHints, ...hints] });
  } catch (error) {
    emitOpaque(inv, `${inv.program} (unanalysed)`, `${what}: ${kind} analysis failed (${String(error)})`, {
      envHints: hints,
    });
  }
}
