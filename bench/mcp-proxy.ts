/**
 * What `airlock mcp` adds to one tools/call: server-everything's `echo`, called directly and through
 * the proxy (the bundle, `bin/airlock.mjs`), interleaved call by call so that the noise of a shared
 * machine falls on both alike. The proxy runs with `--env development`, so each call is analysed and
 * decided in full under the built-in policy and then forwarded.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = new URL("../", import.meta.url).pathname;
const BIN = `${ROOT}bin/airlock.mjs`;
const EVERYTHING = `${ROOT}node_modules/.bin/mcp-server-everything`;

export interface Latency {
  p50: number;
  p99: number;
}

export interface McpProxyFigures {
  calls: number;
  /** Milliseconds per call, each side. */
  direct: Latency;
  proxied: Latency;
  /** Milliseconds added by the proxy: percentiles of (proxied − direct) over neighbouring pairs of calls. */
  added: Latency;
}

function percentiles(values: number[]): Latency {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function connect(command: string, args: string[]): Promise<Client> {
  const client = new Client({ name: "airlock-bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
  return client;
}

async function timeCall(client: Client, i: number): Promise<number> {
  const started = process.hrtime.bigint();
  await client.callTool({ name: "echo", arguments: { message: `call ${i}` } });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Added latency per proxied tools/call over direct (target: p50 ≤ 1 ms). */
export async function benchMcpProxy(
  calls = Number(process.env.BENCH_MCP_CALLS ?? 2000),
): Promise<McpProxyFigures> {
  const direct = await connect(EVERYTHING, []);
  const proxied = await connect(process.execPath, [
    BIN,
    "mcp",
    "--name",
    "everything",
    "--env",
    "development",
    "--",
    EVERYTHING,
  ]);
  try {
    const check = await proxied.callTool({ name: "echo", arguments: { message: "ready" } });
    if (check.isError) throw new Error(`the proxy did not forward echo: ${JSON.stringify(check.content)}`);
    for (let i = 0; i < 200; i++) {
      await timeCall(direct, i);
      await timeCall(proxied, i);
    }
    const d: number[] = [];
    const p: number[] = [];
    const added: number[] = [];
    for (let i = 0; i < calls; i++) {
      // Alternate which side goes first, so that neither always follows the other's wake-up.
      const [a, b] = i % 2 === 0 ? [direct, proxied] : [proxied, direct];
      const first = await timeCall(a, i);
      const second = await timeCall(b, i);
      const [td, tp] = a === direct ? [first, second] : [second, first];
      d.push(td);
      p.push(tp);
      added.push(tp - td);
    }
    return { calls, direct: percentiles(d), proxied: percentiles(p), added: percentiles(added) };
  } finally {
    await proxied.close();
    await direct.close();
  }
}

export function formatMcpProxyFigures(f: McpProxyFigures): string {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  return [
    `MCP proxy, ${f.calls} interleaved tools/call (server-everything echo):`,
    `  direct   p50 ${ms(f.direct.p50)}  p99 ${ms(f.direct.p99)}`,
    `  proxied  p50 ${ms(f.proxied.p50)}  p99 ${ms(f.proxied.p99)}`,
    `  added    p50 ${ms(f.added.p50)}  p99 ${ms(f.added.p99)}  (target p50 ≤ 1 ms)`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatMcpProxyFigures(await benchMcpProxy()));
}
