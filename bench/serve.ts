/**
 * `airlock serve` end to end: actions per second and latency over HTTP from a separate process, every
 * answer durable in the audit log before it is sent. Compared, in the same run, with the gate alone
 * in-process on the same actions, so the cost of the server (HTTP, auth, the durable log) is a ratio.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate } from "../src/gate/decide.js";
import { loadPolicy } from "../src/local/policy-file.js";

const BIN = new URL("../bin/airlock.mjs", import.meta.url).pathname;

function action(i: number) {
  return i % 4 === 0
    ? { id: `a${i}`, kind: "shell", command: `kubectl --context prod-eu delete pod api-${i}` }
    : { id: `a${i}`, kind: "k8s", verb: "get", resource: "pods", name: `api-${i}`, kubeContext: "prod-eu" };
}

/** `total` actions from `concurrency` clients; with several URLs (replicas), client i sends to URL i mod n. */
export async function load(
  url: string | readonly string[],
  token: string,
  total: number,
  concurrency: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const targets = (typeof url === "string" ? [url] : url).map((u) => new URL(`${u}/v1/actions`));
  const times: number[] = [];
  let next = 0;
  const one = async (client: number): Promise<void> => {
    const target = targets[client % targets.length] as URL;
    while (next < total) {
      const body = JSON.stringify(action(next++));
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const request = http.request(
          target,
          {
            method: "POST",
            agent,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve());
          },
        );
        request.on("error", reject);
        request.end(body);
      });
      times.push(performance.now() - started);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, client) => one(client)));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? Number.NaN;
  return { perSec: total / seconds, p50: at(0.5), p99: at(0.99) };
}

export async function benchServe(total = 20_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "airlock-bench-serve-"));
  const token = spawnSync(
    process.execPath,
    [
      BIN,
      "token",
      "create",
      "--data-dir",
      dir,
      "--name",
      "bench",
      "--role",
      "agent",
      "--on-behalf-of",
      "ops",
    ],
    { encoding: "utf8" },
  ).stdout.trim();
  const server = spawn(process.execPath, [BIN, "serve", "--data-dir", dir, "--listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  try {
    const url = await new Promise<string>((resolve) => {
      let out = "";
      server.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
      });
    });
    await load(url, token, 2_000, 16); // warm: parsers loaded, JIT settled
    const policy = await loadPolicy();
    const t0 = performance.now();
    for (let i = 0; i < total; i++) await evaluate(action(i), policy);
    const gateOnly = total / ((performance.now() - t0) / 1000);
    console.log(
      `\nairlock serve, POST /v1/actions from another process (keep-alive), each answer durable in the audit log:`,
    );
    for (const concurrency of [1, 16, 64]) {
      const r = await load(url, token, concurrency === 1 ? total / 4 : total, concurrency);
      console.log(
        `  ${String(concurrency).padStart(2)} concurrent clients: ${Math.round(r.perSec).toLocaleString()} actions/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms ` +
          `(${(gateOnly / r.perSec).toFixed(1)}× the time of the gate alone in-process, ${Math.round(gateOnly).toLocaleString()} actions/s)`,
      );
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}
