import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyVerdict } from "../../src/gate/replay.js";
import {
  agent,
  deletePod,
  getPods,
  otherAgent,
  policyOf,
  type Rig,
  RULES,
  rig,
} from "../approvals/monitor-fixtures.js";
import { airlockSync } from "../ingress/http/harness.js";

const bob = { name: "bob", role: "approver" as const, groups: [] };
/** The new policy: staging deletions need a person; production deletions no longer do. */
const NEW = RULES.replace("name: monitor-test", "name: monitor-next")
  .replace(
    "rules:\n",
    `rules:
  - id: staging-deletes
    reason: Staging deletions need a person now
    match: { environment: staging, effect: delete }
    decision: hold
`,
  )
  .replace(
    "    match: { environment: production, effect: delete }\n    decision: hold",
    "    match: { environment: production, effect: delete }\n    decision: allow",
  );
let r: Rig;
let newPolicy: string;

/** A real log: the service decides, holds, releases and pauses, and records every action. */
beforeAll(async () => {
  r = await rig(policyOf(RULES));
  for (const n of [1, 2, 3]) await r.service.submit(deletePod(n), agent);
  await r.service.submit(getPods(), agent);
  const held = await r.service.submit(deletePod(9, "production"), agent);
  await r.service.vote(held.request?.id ?? "", bob, "approve", held.digest ?? "");
  await r.service.submit(deletePod(9, "production"), agent);
  r.clock.now += 3600_000;
  await r.service.monitor.pause("agent:codex-2", "root");
  await r.service.submit(deletePod(4), otherAgent);
  await r.service.submit(deletePod(5), agent);
  await r.store.close();
  newPolicy = join(r.dir, "next.yaml");
  writeFileSync(newPolicy, NEW);
});

afterAll(async () => {
  await r.store.close();
});

describe("airlock replay", () => {
  it("prints per rule what the new policy would decide differently, with examples", () => {
    const run = airlockSync(["replay", "--policy", newPolicy, "--data-dir", r.dir, "--examples", "2"]);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(
      "replayed 8 actions under policy monitor-next: 6 would be decided differently (1 decided by a pause or breaker, not compared)",
    );
    expect(run.stdout).toContain("staging-deletes: allow→hold 4");
    expect(run.stdout).toContain("prod-deletes: hold→allow 2");
    expect(run.stdout).toMatch(
      / {2}#\d+ 2026-11-21T10:00:00\.000Z kiro-7 allow→hold: delete pod api-1: .* \(staging\)$/m,
    );
    // Both production rules now allow the deletions they held: each names them.
    expect(run.stdout).toContain("prod-changes: hold→allow 2");
    expect(lines.filter((l) => l.startsWith("  #"))).toHaveLength(6);
  });

  it("reports as JSON, and only from --since on", () => {
    const run = airlockSync([
      "replay",
      "--policy",
      newPolicy,
      "--data-dir",
      r.dir,
      "--since",
      "2026-11-21T10:30:00Z",
      "--json",
    ]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      policy: "monitor-next",
      since: "2026-11-21T10:30:00.000Z",
      considered: 2,
      skipped: 1,
      changed: 1,
      rules: [{ rule: "staging-deletes", transitions: { "allow→hold": 1 } }],
    });
    expect(report.rules[0].examples[0]).toMatchObject({ agent: "kiro-7", before: "allow", after: "hold" });
  });

  it("says nothing changed under the same policy, and refuses a policy that does not load", () => {
    writeFileSync(join(r.dir, "same.yaml"), RULES);
    const same = airlockSync(["replay", "--policy", join(r.dir, "same.yaml"), "--data-dir", r.dir]);
    expect(same.stdout).toContain("0 would be decided differently");
    writeFileSync(join(r.dir, "broken.yaml"), "version: 1\nrules: nope\n");
    const broken = airlockSync(["replay", "--policy", join(r.dir, "broken.yaml"), "--data-dir", r.dir]);
    expect(broken.status).toBe(64);
  });

  it("judges the policy's own verdict from what was recorded", () => {
    const d = (decision: "allow" | "hold" | "deny", code?: string) =>
      ({ decision, code }) as Parameters<typeof policyVerdict>[0];
    expect(policyVerdict(d("allow", "released"))).toBe("hold");
    expect(policyVerdict(d("deny", "request_closed"))).toBe("hold");
    expect(policyVerdict(d("hold", "frozen"))).toBe("allow");
    expect(policyVerdict(d("deny", "paused"))).toBeUndefined();
    expect(policyVerdict(d("deny", "no_rule"))).toBe("deny");
  });
});
