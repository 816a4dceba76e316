/**
 * The cost of the circuit breakers' bookkeeping: the same stream of actions, offered at about 1,000
 * per second (open loop: each one starts on schedule, whatever the others are doing), to the approval
 * service on a durable SQLite store, under the same policy without and with four breakers (rate,
 * blast, repetition, cost; limits high enough never to trip). Latency is submit to durable decision.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Identity } from "../src/approvals/identity.js";
import { ApprovalService } from "../src/approvals/service.js";
import { SqliteStore } from "../src/store/sqlite/store.js";
import { policyOf, RULES } from "../test/approvals/monitor-fixtures.js";

const RATE = Number(process.env.BENCH_BREAKER_RATE ?? 1000);
const COUNT = Number(process.env.BENCH_BREAKER_ACTIONS ?? 6000);
const BREAKERS = `breakers:
  - { name: rate, kind: rate, scope: agent, match: { effect: delete }, limit: 1000000000, windowSeconds: 600 }
  - { name: blast, kind: blast, scope: environment, limit: 1000000000, windowSeconds: 3600 }
  - { name: repeat, kind: repetition, scope: agent, limit: 1000000000, windowSeconds: 600 }
  - { name: spend, kind: cost, scope: onBehalfOf, limit: 1000000000, windowSeconds: 3600 }
`;
const agents: Identity[] = Array.from({ length: 8 }, (_, i) => ({
  name: `agent-${i}`,
  role: "agent",
  groups: [],
  onBehalfOf: `person-${i % 3}`,
}));

function action(i: number) {
  const environment = i % 3 === 0 ? "staging" : "development";
  return i % 2 === 0
    ? {
        kind: "k8s",
        verb: "delete",
        resource: "pods",
        name: `api-${i}`,
        cost: 0.01,
        context: { environment },
      }
    : { kind: "k8s", verb: "create", resource: "configmaps", name: `cfg-${i}`, context: { environment } };
}

async function run(policyText: string): Promise<{ p50: number; p99: number; perSec: number }> {
  const dir = mkdtempSync(join(tmpdir(), "airlock-bench-breakers-"));
  const store = await SqliteStore.open(dir);
  const service = new ApprovalService({ store, policy: policyOf(policyText), publicUrl: () => "" });
  for (let i = 0; i < 500; i++) await service.submit(action(i), agents[i % agents.length] as Identity);
  const times: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      service.submit(action(i), agents[i % agents.length] as Identity).then(() => {
        times.push(performance.now() - t0);
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), perSec: COUNT / seconds };
}

/** Prints p50/p99 per decision without and with breakers, and the difference, in milliseconds. */
export async function benchBreakers(): Promise<void> {
  // Alternated, best of three each: the machine is shared, and the fairer figure is the quieter run.
  const without: Awaited<ReturnType<typeof run>>[] = [];
  const withBreakers: Awaited<ReturnType<typeof run>>[] = [];
  for (let round = 0; round < 3; round++) {
    without.push(await run(RULES));
    withBreakers.push(await run(`${RULES}${BREAKERS}`));
  }
  const best = (rs: typeof without) => rs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
  const a = best(without);
  const b = best(withBreakers);
  const f = (n: number) => n.toFixed(2);
  console.log(`\nbreaker bookkeeping, ${COUNT.toLocaleString()} actions offered at ${RATE}/s, durable store`);
  console.log(`  without breakers: p50 ${f(a.p50)} ms, p99 ${f(a.p99)} ms, ${a.perSec.toFixed(0)}/s`);
  console.log(`  with 4 breakers:  p50 ${f(b.p50)} ms, p99 ${f(b.p99)} ms, ${b.perSec.toFixed(0)}/s`);
  console.log(`  overhead:         p50 ${f(b.p50 - a.p50)} ms, p99 ${f(b.p99 - a.p99)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBreakers();
