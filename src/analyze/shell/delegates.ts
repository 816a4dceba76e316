import type { AwsAction, HttpAction, K8sAction, SqlAction } from "../../action/schema.js";
import type { Analysis } from "../types.js";
import { emitDelegated, emitOpaque, type Invocation } from "./context.js";
import { Memo } from "./memo.js";

/**
 * The analyzers shell lines delegate to (SQL inside `psql -c`, `aws …`, `kubectl …`, `curl …`).
 * Each is loaded the first time a line needs it, not with the shell grammar: `ls` must not pay for
 * the Postgres parser and the IAM tables. A line that meets an analyzer not yet loaded records it as
 * wanted and gets an opaque operation; the caller loads what was wanted and analyses the line again
 * (see analyzeShellLoading). An analyzer that failed to load stays opaque, never safe.
 */
export type DelegateKind = "sql" | "aws" | "k8s" | "http";

interface Delegates {
  sql?: (a: SqlAction) => Analysis;
  aws?: (a: AwsAction) => Analysis;
  k8s?: (a: K8sAction) => Analysis;
  http?: (a: HttpAction) => Analysis;
}
const delegates: Delegates = {};
const tried = new Set<DelegateKind>();
const wanted = new Set<DelegateKind>();

const loaders: Record<DelegateKind, () => Promise<void>> = {
  sql: async () => {
    const m = await import("../sql/index.js");
    await m.loadSql();
    delegates.sql = m.analyzeSql;
  },
  aws: async () => {
    const m = await import("../aws/index.js");
    await m.loadAws();
    delegates.aws = m.analyzeAws;
  },
  k8s: async () => {
    delegates.k8s = (await import("../k8s.js")).analyzeK8s;
  },
  http: async () => {
    delegates.http = (await import("../http.js")).analyzeHttp;
  },
};

/** Load the given analyzers (all of them by default); a failure leaves that kind opaque. */
export async function loadDelegates(
  kinds: Iterable<DelegateKind> = Object.keys(loaders) as DelegateKind[],
): Promise<void> {
  await Promise.all(
    [...kinds]
      .filter((kind) => !tried.has(kind))
      .map(async (kind) => {
        tried.add(kind);
        try {
          await loaders[kind]();
        } catch {
          // Left undefined: analysing that kind yields an opaque operation, never a safe one.
        }
      }),
  );
}

/** The analyzers lines asked for since the last call that were never tried; clears the list. */
export function takeWantedDelegates(): DelegateKind[] {
  const kinds = [...wanted];
  wanted.clear();
  return kinds;
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
    if (!tried.has(kind)) wanted.add(kind);
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
