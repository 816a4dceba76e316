import type { Action } from "../action/schema.js";
import type { Analysis } from "../analyze/types.js";

/**
 * One analyzer per Action kind, loaded on first use: a cold `airlock check` for one SQL statement
 * must not pay for the shell grammar or the IAM tables.
 */
type Analyze = (action: Action) => Analysis;

const loaders: Record<Exclude<Action["kind"], "mcp">, () => Promise<Analyze>> = {
  shell: async () => {
    const m = await import("../analyze/shell/index.js");
    await m.loadShell();
    return m.analyzeShell as Analyze;
  },
  sql: async () => {
    const m = await import("../analyze/sql/index.js");
    await m.loadSql();
    return m.analyzeSql as Analyze;
  },
  aws: async () => {
    const m = await import("../analyze/aws/index.js");
    await m.loadAws();
    return m.analyzeAws as Analyze;
  },
  k8s: async () => (await import("../analyze/k8s.js")).analyzeK8s as Analyze,
  "terraform-plan": async () =>
    (await import("../analyze/terraform/index.js")).analyzeTerraformPlan as Analyze,
  "cloudformation-changeset": async () =>
    (await import("../analyze/cloudformation.js")).analyzeChangeSet as Analyze,
  http: async () => (await import("../analyze/http.js")).analyzeHttp as Analyze,
};

const ready = new Map<string, Analyze>();
const pending = new Map<string, Promise<Analyze>>();

/** The analyzer for a kind, loading it once. */
export async function analyzerFor(kind: Exclude<Action["kind"], "mcp">): Promise<Analyze> {
  const loaded = ready.get(kind);
  if (loaded) return loaded;
  let loading = pending.get(kind);
  if (!loading) {
    loading = loaders[kind]().then((analyze) => {
      ready.set(kind, analyze);
      return analyze;
    });
    pending.set(kind, loading);
    // A failed load is not cached: the next action tries again (and fails closed meanwhile).
    loading.catch(() => pending.delete(kind));
  }
  return loading;
}
