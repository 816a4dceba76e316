import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../approvals/monitor-fixtures.js";
import { call, policyWithDelay, until } from "../ingress/http/harness.js";
import { createDatabase, direct, PG } from "../ingress/postgres/harness.js";
import { type Cluster, leaseGauge, leaseHolders, startCluster, submit, watched } from "./replicas.js";

/**
 * Three `airlock serve` replicas on the real PostgreSQL of this machine behave as one server
 * (issue 16, docs/deploy.md). Each describe block has a database of its own, dropped at the end.
 */
const deletion = (name: string) => ({
  kind: "shell",
  command: `kubectl --context prod delete deployment ${name}`,
  intent: `retire ${name}`,
});

async function cluster(prefix: string, policy?: string) {
  const db = await createDatabase(prefix);
  const c = await startCluster({
    store: `postgres://${PG.user}@${PG.host}:${PG.port}/${db.name}`,
    replicas: 3,
    ...(policy ? { policy } : {}),
  });
  return {
    c,
    async stop() {
      await c.stop();
      await db.drop();
    },
  };
}

const entriesOf = (c: Cluster, type: string, requestId?: string) =>
  c
    .entries()
    .filter((e) => e.entry.type === type && (requestId === undefined || e.entry.requestId === requestId));

describe("an approval across replicas", () => {
  let c: Cluster;
  let stop: () => Promise<void>;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-replicas-"));
    ({ c, stop } = await cluster("airlock_replicas_flow", policyWithDelay(dir, 1)));
    tokens.agent = c.token(["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
    tokens.bob = c.token(["--name", "bob", "--role", "approver"]);
    tokens.carol = c.token(["--name", "carol", "--role", "approver"]);
  });
  afterAll(async () => {
    await stop?.();
  });

  /** Approvers vote through `replica` until the request needs no more approvals. */
  const approve = async (replica: { url: string }, id: string, digest: string) => {
    for (const who of ["bob", "carol"]) {
      const vote = await call(replica, "POST", `/v1/requests/${id}/approve`, tokens[who], { digest });
      expect(vote.status, JSON.stringify(vote.json)).toBe(200);
      if (vote.json.approvalsNeeded === 0) return;
    }
    throw new Error(`request ${id} still needs approvals after two votes`);
  };

  it("is held through A, voted through B, released by the one sweeper, used through C, once", async () => {
    const [a, b, cc] = c.replicas as [(typeof c.replicas)[0], (typeof c.replicas)[0], (typeof c.replicas)[0]];
    const held = await submit(a, tokens.agent as string, deletion("billing-v1"));
    expect(held.json.decision).toBe("hold");
    const id = (held.json.request as { id: string }).id;
    await approve(b, id, String(held.json.digest));
    // The wait ends; the replica holding the lease releases it (a list does not settle requests itself).
    await until(async () => {
      const r = await call(a, "GET", "/v1/requests?status=approved", tokens.bob);
      return (r.json.requests as { id: string }[]).some((x) => x.id === id) ? true : undefined;
    });
    const used = await submit(cc, tokens.agent as string, deletion("billing-v1"));
    expect(used.json).toMatchObject({ decision: "allow", code: "released", request: { id } });
    for (const replica of [a, b, cc]) {
      const again = await submit(replica, tokens.agent as string, deletion("billing-v1"));
      expect(again.json.decision).toBe("hold");
    }
    expect(entriesOf(c, "request.released", id)).toHaveLength(1);
    expect(entriesOf(c, "request.used", id)).toHaveLength(1);
    expect(leaseHolders(c.replicas)).toHaveLength(1);
    expect(await leaseGauge(c.replicas)).toBe(1);
    const verify = c.verify();
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });

  it("allows the identical retry exactly once when every replica races to release it", async () => {
    const held = await submit(c.replicas[0] as never, tokens.agent as string, deletion("billing-v2"));
    const id = (held.json.request as { id: string }).id;
    await approve(c.replicas[1] as never, id, String(held.json.digest));
    await until(async () => {
      const r = await call(c.replicas[2] as never, "GET", "/v1/requests?status=approved", tokens.bob);
      return (r.json.requests as { id: string }[]).some((x) => x.id === id) ? true : undefined;
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        submit(c.replicas[i % 3] as never, tokens.agent as string, deletion("billing-v2")),
      ),
    );
    const allowed = answers.filter((r) => r.json.decision === "allow");
    expect(allowed).toHaveLength(1);
    expect(allowed[0]?.json).toMatchObject({ code: "released", request: { id } });
    expect(answers.every((r) => r.json.decision === "allow" || r.json.decision === "hold")).toBe(true);
    expect(entriesOf(c, "request.used", id)).toHaveLength(1);
  });

  it("reports not ready on every replica when the schema is newer than it runs, and a replica of that binary will not start", async () => {
    const database = new URL(c.store).pathname.slice(1);
    await direct(database, (db) =>
      db.query("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'a newer airlock')"),
    );
    try {
      for (const r of c.replicas) {
        const ready = await call(r, "GET", "/readyz");
        expect(ready.status).toBe(503);
        expect(ready.json).toMatchObject({ ok: false, code: "schema_newer" });
      }
      await expect(c.add()).rejects.toThrow(/newer than this airlock/);
    } finally {
      await direct(database, (db) => db.query("DELETE FROM schema_migrations WHERE version = 9999"));
    }
    for (const r of c.replicas) expect((await call(r, "GET", "/readyz")).status).toBe(200);
  });
});

describe("a breaker shared by the replicas", () => {
  const LIMIT = 3;
  let c: Cluster;
  let stop: () => Promise<void>;
  let agent: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-replicas-breaker-"));
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      `${RULES}breakers:
  - name: staging-blast
    kind: blast
    scope: agent
    match: { environment: staging }
    limit: ${LIMIT}
    windowSeconds: 3600
    then: deny-all-but-reads
    reset: admin
    reason: too many staging deletions at once
`,
    );
    ({ c, stop } = await cluster("airlock_replicas_breaker", policy));
    agent = c.token(["--name", "loop-bot", "--role", "agent", "--on-behalf-of", "alice"]);
  });
  afterAll(async () => {
    await stop?.();
  });

  it("allows exactly the limit of 50 concurrent submissions spread over 3 replicas", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submit(c.replicas[i % 3] as never, agent, {
          kind: "k8s",
          verb: "delete",
          resource: "deployments",
          name: `worker-${i}`,
          namespace: "jobs",
          kubeContext: "staging",
        }),
      ),
    );
    const decisions = answers.map((r) => String(r.json.decision));
    expect(decisions.filter((d) => d === "allow")).toHaveLength(LIMIT);
    expect(decisions.filter((d) => d !== "allow" && d !== "deny")).toEqual([]);
    expect(entriesOf(c, "breaker.tripped")).toHaveLength(1);
    const verify = c.verify();
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});

describe("a replica killed under load", () => {
  let c: Cluster;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ c, stop } = await cluster("airlock_replicas_kill"));
  });
  afterAll(async () => {
    await stop?.();
  });

  it("loses no acknowledged action; the others keep serving; the log verifies; the lease moves", async () => {
    const token = c.token(["--name", "burst", "--role", "agent", "--on-behalf-of", "gil"]);
    const [victim, ...survivors] = leaseHolders(c.replicas).concat(
      c.replicas.filter((r) => !leaseHolders(c.replicas).includes(r)),
    ) as [(typeof c.replicas)[0], ...(typeof c.replicas)[0][]];
    const acknowledged: string[] = [];
    const acknowledgedAfterKill: string[] = [];
    let killed = false;
    let stopping = false;
    const worker = async (w: number) => {
      const replica = c.replicas[w % 3] as (typeof c.replicas)[0];
      for (let i = 0; !stopping; i++) {
        const id = `w${w}-${i}`;
        try {
          const r = await submit(replica, token, {
            id,
            kind: "shell",
            command: `kubectl --context prod delete pod api-${i}`,
          });
          if (r.status === 200 && (r.json as { id?: string }).id === id) {
            acknowledged.push(id);
            if (killed) acknowledgedAfterKill.push(id);
          }
        } catch {
          if (replica === victim) return; // its connections die with it
          throw new Error(`replica ${replica.url} stopped answering`);
        }
      }
    };
    const workers = watched(Array.from({ length: 12 }, (_, w) => worker(w)));
    await until(async () => {
      workers.check();
      return acknowledged.length >= 150 ? true : undefined;
    }, 20);
    victim.process.kill("SIGKILL");
    killed = true;
    await until(async () => {
      workers.check();
      return acknowledgedAfterKill.length >= 150 ? true : undefined;
    }, 20);
    // Another replica takes the sweep lease once the database has closed the dead one's session.
    await until(async () =>
      survivors.some((r) => r.stderr().includes("holds the sweep lease")) ? true : undefined,
    );
    stopping = true;
    await workers.all;

    const recorded = new Set(
      entriesOf(c, "action").map((e) => (e.entry.action as { id?: string } | undefined)?.id),
    );
    expect(acknowledged.filter((id) => !recorded.has(id))).toEqual([]);
    for (const r of survivors) expect((await call(r, "GET", "/readyz")).status).toBe(200);
    const verify = c.verify();
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
