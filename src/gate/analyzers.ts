import type { Action } from "../action/schema.js";
import type { Analysis } from "../analyze/types.js";

/**
 * One analyzer per Action kind, loaded on first use: a cold `airlock check` for one SQL statement
 * must not pay for the shell grammar or the IAM tables. `prepare` loads what one particular action
 * needs (the SQL engine it names); `analyze` is synchronous once prepared.
 */
export interface Analyzer {
  prepare: (action: Action) => Promise<void> | undefined;
  analyze: (action: Action) => Analysis | Promise<Analysis>;
}

type Kind = Exclude<Action["kind"], "mcp">;

const noPreparation = () => undefined;

function ready(analyze: unknown): Analyzer {
  return { prepare: noPreparation, analyze: analyze as Analyzer["analyze"] };
}

const loaders: Record<Kind, () => Promise<Analyzer>> = {
  shell: async () => {
    const m = await import("../analyze/shell/index.js");
    await m.loadShell();
    return ready(m.analyzeShellLoading);
  },
  sql: async () => {
    const m = await import("../analyze/sql/index.js");
    return {
      prepare: (action) => {
        const engine = (action.kind === "sql" && action.engine) || "postgres";
        return m.sqlLoaded(engine) ? undefined : m.loadSql([engine]);
      },
      analyze: m.analyzeSql as Analyzer["analyze"],
    };
  },
  aws: async () => {
    const m = await import("../analyze/aws/index.js");
    await m.loadAws();
    return ready(m.analyzeAws);
  },
  k8s: async () => ready((await import("../analyze/k8s.js")).analyzeK8s),
  "terraform-plan": async () => ready((await import("../analyze/terraform/index.js")).analyzeTerraformPlan),
  "cloudformation-changeset": async () =>
    ready((await import("../analyze/cloudformation.js")).analyzeChangeSet),
  http: async () => ready((await import("../analyze/http.js")).analyzeHttp),
};

const loaded = new Map<Kind, Analyzer>();
const pending = new Map<Kind, Promise<Analyzer>>();

async function load(kind: Kind): Promise<Analyzer> {
  let loading = pending.get(kind);
  if (!loading) {
    loading = loaders[kind]().then((analyzer) => {
      loaded.set(kind, analyzer);
      return analyzer;
    });
    pending.set(kind, loading);
    // A failed load is not cached: the next action tries again (and fails closed meanwhile).
    loading.catch(() => pending.delete(kind));
  }
  return loading;
}

/** Analyse one (non-mcp) action, loading its analyzer and parsers on first use. */
export async function analyzeWith(action: Action & { kind: Kind }): Promise<Analysis> {
  const analyzer = loaded.get(action.kind) ?? (await load(action.kind));
  const preparing = analyzer.prepare(action);
  if (preparing) await preparing;
  return analyzer.analyze(action);
}
