import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Identity } from "../../src/approvals/identity.js";
import { ApprovalService } from "../../src/approvals/service.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { entries } from "./monitor-fixtures.js";

/**
 * Twenty votes on one request started in the same tick, as a busy server sees them: before, each read
 * the same version, one won each round, and those left after eight retries failed with an internal
 * error, their votes neither recorded nor audited.
 */
describe("votes started at the same moment", () => {
  it("are each recorded or refused with a reason, and audited, none lost", async () => {
    const store = await SqliteStore.open(mkdtempSync(join(tmpdir(), "airlock-votes-")));
    const service = new ApprovalService({ store, policy: await loadPolicy(), publicUrl: () => "http://x" });
    const agent: Identity = { name: "kiro-7", role: "agent", groups: [], onBehalfOf: "alice" };
    const held = await service.submit(
      { kind: "k8s", verb: "delete", resource: "namespaces", name: "payments", kubeContext: "prod-eu" },
      agent,
    );
    const id = held.request?.id ?? "";
    const voters = Array.from(
      { length: 20 },
      (_, i): Identity => ({
        name: `approver-${i}`,
        role: "approver",
        groups: [],
      }),
    );
    const outcomes = await Promise.allSettled(
      [...voters, voters[0] as Identity].map((v) => service.vote(id, v, "approve", held.digest ?? "")),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    const results = outcomes.map((o) => (o.status === "fulfilled" ? o.value : undefined));
    expect(results.filter((r) => r?.ok).length).toBe(20);
    expect(results.filter((r) => r && !r.ok).map((r) => r && !r.ok && r.code)).toEqual(["already_voted"]);
    expect((await service.get(id))?.approvals.length).toBe(20);
    const audited = (await entries(store))
      .map((e) => e as { type: string; requestId?: string })
      .filter((e) => e.requestId === id);
    expect(audited.filter((e) => e.type === "request.approved").length).toBe(20);
    expect(audited.filter((e) => e.type === "request.rejected").length).toBe(1);
    await store.close();
  });
});
