import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Identity } from "../../src/approvals/identity.js";
import { ApprovalService } from "../../src/approvals/service.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { parsePolicy } from "../../src/policy/parse.js";
import type { Store } from "../../src/store/port.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";

export const RULES = `
version: 1
name: monitor-test
rules:
  - id: reads
    reason: Reads are fine
    match: { effect: read }
    decision: allow
  - id: staging-changes
    reason: Changes outside production are fine
    match: { environment: [staging, development] }
    decision: allow
  - id: prod-deletes
    reason: Production deletions need a person
    match: { environment: production, effect: delete }
    decision: hold
  - id: prod-changes
    reason: Other production changes are fine
    match: { environment: production }
    decision: allow
`;

export function policyOf(text: string): CompiledPolicy {
  const parsed = parsePolicy(text, "test.yaml");
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.message}`).join("\n"));
  return parsed.policy;
}

export const agent: Identity = { name: "kiro-7", role: "agent", groups: [], onBehalfOf: "alice" };
export const otherAgent: Identity = { name: "codex-2", role: "agent", groups: [], onBehalfOf: "bob" };

export const deletePod = (n: number | string, environment = "staging") => ({
  kind: "k8s",
  verb: "delete",
  resource: "pods",
  name: `api-${n}`,
  // The environment by name: what an agent claims in `context` cannot lower the server's view.
  kubeContext: environment,
});
export const getPods = (environment = "production") => ({
  kind: "k8s",
  verb: "get",
  resource: "pods",
  kubeContext: environment,
});

export interface Rig {
  dir: string;
  store: SqliteStore;
  service: ApprovalService;
  clock: { now: number };
}

export async function rig(
  policy: CompiledPolicy,
  dir = mkdtempSync(join(tmpdir(), "airlock-monitor-")),
): Promise<Rig> {
  const store = await SqliteStore.open(dir);
  const clock = { now: Date.parse("2026-11-21T10:00:00Z") };
  const service = new ApprovalService({
    store,
    policy,
    publicUrl: () => "http://airlock.test",
    clock: () => clock.now,
  });
  return { dir, store, service, clock };
}

/** Every entry's fields, in index order. */
export async function entries(store: Pick<Store, "auditEntries">): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of store.auditEntries()) out.push(JSON.parse(e.bytes) as Record<string, unknown>);
  return out;
}
