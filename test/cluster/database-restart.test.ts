import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, until } from "../ingress/http/harness.js";
import { type OwnPostgres, startOwnPostgres } from "./own-postgres.js";
import { type Cluster, leaseGauge, startCluster, submit, watched } from "./replicas.js";

/**
 * The database goes away under load and comes back. The test runs its own PostgreSQL cluster (initdb
 * in a temporary directory, its own port) and only ever stops that one, never the machine's.
 */
describe("the database restarted under load", () => {
  let own: OwnPostgres;
  let c: Cluster;
  beforeAll(async () => {
    own = await startOwnPostgres();
    const admin = new pg.Client({ connectionString: own.url("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE airlock_restart");
    await admin.end();
    c = await startCluster({ store: own.url("airlock_restart"), replicas: 3 });
  });
  afterAll(async () => {
    await c?.stop();
    own?.destroy();
  });

  it("answers store_unavailable (deny) while it is down, recovers by itself, and loses nothing acknowledged", async () => {
    const token = c.token(["--name", "steady", "--role", "agent", "--on-behalf-of", "gil"]);
    const acknowledged: string[] = [];
    const unavailable: string[] = [];
    let phase: "before" | "down" | "after" = "before";
    let afterRestart = 0;
    let stopping = false;
    const worker = async (w: number) => {
      const replica = c.replicas[w % c.replicas.length] as Cluster["replicas"][0];
      for (let i = 0; !stopping; i++) {
        const id = `w${w}-${i}`;
        const r = await submit(replica, token, {
          id,
          kind: "shell",
          command: `kubectl --context prod delete pod api-${i}`,
        });
        const code = (r.json.code ?? (r.json.error as { code?: string } | undefined)?.code) as
          | string
          | undefined;
        if (code === "store_unavailable") {
          // Fail closed: never an allow, and nothing recorded, so not acknowledged.
          expect(r.json.decision ?? "deny").toBe("deny");
          unavailable.push(id);
          await new Promise((resolve) => setTimeout(resolve, 50)); // no busy loop against a dead database
          continue;
        }
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        expect(r.json.id).toBe(id);
        acknowledged.push(id);
        if (phase === "after") afterRestart++;
      }
    };
    const workers = watched(Array.from({ length: 9 }, (_, w) => worker(w)));
    await until(async () => {
      workers.check();
      return acknowledged.length >= 100 ? true : undefined;
    }, 20);

    own.stop();
    phase = "down";
    await until(async () => {
      workers.check();
      return unavailable.length >= 10 ? true : undefined;
    }, 20);
    for (const r of c.replicas) {
      const ready = await until(async () => {
        const answer = await call(r, "GET", "/readyz");
        return answer.status === 503 ? answer : undefined;
      });
      expect(ready.json).toMatchObject({ ok: false, code: "store_unavailable" });
      expect((await call(r, "GET", "/healthz")).status).toBe(200);
    }

    // Counted for the operator: store calls that failed closed.
    const metrics = await (await fetch(`${c.replicas[0]?.url}/metrics`)).text();
    const failures = [...metrics.matchAll(/^airlock_store_errors_total\{operation="\w+"\} (\d+)$/gm)];
    expect(failures.reduce((n, m) => n + Number(m[1]), 0)).toBeGreaterThan(0);

    own.start();
    phase = "after";
    for (const r of c.replicas)
      await until(async () => ((await call(r, "GET", "/readyz")).status === 200 ? true : undefined));
    await until(async () => {
      workers.check();
      return afterRestart >= 100 ? true : undefined;
    }, 20);
    // The sweeps resume too: exactly one replica holds the lease again.
    await until(async () => ((await leaseGauge(c.replicas)) === 1 ? true : undefined));
    stopping = true;
    await workers.all;

    const recorded = new Set(
      c
        .entries()
        .filter((e) => e.entry.type === "action")
        .map((e) => (e.entry.action as { id?: string } | undefined)?.id),
    );
    expect(acknowledged.filter((id) => !recorded.has(id))).toEqual([]);
    const verify = c.verify();
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
