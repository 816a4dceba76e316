import type { Action } from "../action/schema.js";
import type { Analysis } from "./types.js";

/**
 * The one registry of analyzers: one per Action kind, loaded on first use, for the gate and for
 * the analyzers that delegate to each other (SQL inside `psql -c`, an AWS CLI line, `kubectl`,
 * `curl`). A cold `airlock check` for one SQL statement must not pay for the shell grammar or the
 * IAM tables, and `ls` must not pay for the Postgres parser. `prepare` loads what one particular
 * action needs (the SQL engine it names); `analyze` is synchronous once `prepared` says so.
 */
export interface Analyzer {
  prepared: (action: Action) => boolean;
  prepare: (action: Action) => Promise<void>;
  analyze: (action: Action) => Analysis | Promise<Analysis>;
}

export type AnalyzerKind = Exclude<Action["kind"], "mcp">;

const always = () => true;
const nothing = async () => {};

function ready(analyze: unknown): Analyzer {
  return { prepared: always, prepare: nothing, analyze: analyze as Analyzer["analyze"] };
}

const loaders: Record<AnalyzerKind, () => Promise<Analyzer>> = {
  shell: async () => {
    const m = await import("./shell/index.js");
    await m.loadShell();
    return ready(m.analyzeShellLoading);
  },
  sql: async () => {
    const m = await import("./sql/index.js");
    const engineOf = (action: Action) => (action.kind === "sql" && action.engine) || "postgres";
    return {
      prepared: (action) => m.sqlLoaded(engineOf(action)),
      prepare: (action) => m.loadSql([engineOf(action)]),
      analyze: m.analyzeSql as Analyzer["analyze"],
    };
  },
  aws: async () => {
    const m = await import("./aws/index.js");
    await m.loadAws();
    return ready(m.analyzeAws);
  },
  k8s: async () => ready((await import("./k8s.js")).analyzeK8s),
  "terraform-plan": async () => ready((await import("./terraform/index.js")).analyzeTerraformPlan),
  "cloudformation-changeset": async () => ready((await import("./cloudformation.js")).analyzeChangeSet),
  http: async () => ready((await import("./http.js")).analyzeHttp),
};

const loaded = new Map<AnalyzerKind, Analyzer>();
const pending = new Map<AnalyzerKind, Promise<Analyzer>>();

function load(kind: AnalyzerKind): Promise<Analyzer> {
  let loading = pending.get(kind);
  if (!loading) {
    loading = loaders[kind]().then((analyzer) => {
      loaded.set(kind, analyzer);
      return analyzer;
    });
    pending.set(kind, loading);
    // A failed load is not cached: the next action tries again (and fails closed meanwhile), so one
    // transient failure does not leave a long-running server opaque for good.
    loading.catch(() => pending.delete(kind));
  }
  return loading;
}

/** Load the analyzer of each action and what that action needs; throws when one cannot be loaded. */
export async function prepareFor(actions: readonly (Action & { kind: AnalyzerKind })[]): Promise<void> {
  await Promise.all(
    actions.map(async (action) => {
      const analyzer = loaded.get(action.kind) ?? (await load(action.kind));
      if (!analyzer.prepared(action)) await analyzer.prepare(action);
    }),
  );
}

/**
 * The analyzer for this action when it can run now, without loading anything; otherwise undefined
 * (the caller records the action as wanted, loads it with prepareFor, and analyses again).
 */
export function readyAnalyzer(action: Action & { kind: AnalyzerKind }): Analyzer["analyze"] | undefined {
  const analyzer = loaded.get(action.kind);
  return analyzer?.prepared(action) ? analyzer.analyze : undefined;
}

/** Analyse one (non-mcp) action, loading its analyzer and parsers on first use. */
export async function analyzeWith(action: Action & { kind: AnalyzerKind }): Promise<Analysis> {
  const now = readyAnalyzer(action);
  if (now) return now(action);
  await prepareFor([action]);
  const analyze = readyAnalyzer(action);
  if (!analyze) throw new Error(`the ${action.kind} analyzer is not ready after loading`);
  return analyze(action);
}

/** Load every analyzer and both SQL parsers up front (tests, benchmarks, a long-running server's warm-up). */
export async function loadAllAnalyzers(): Promise<void> {
  await Promise.all((Object.keys(loaders) as AnalyzerKind[]).map(load));
  await prepareFor([
    { kind: "sql", sql: "", engine: "postgres" },
    { kind: "sql", sql: "", engine: "mysql" },
  ]);
}
