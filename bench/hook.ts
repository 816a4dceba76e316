/**
 * One agent-hook call, process start to answer: `airlock hook claude-code` (a Node process per
 * call), the fast client bin/airlock-hook.sh answered by `airlock hook-daemon`, and the
 * `cc-safety-net` Claude Code hook, on the same PreToolUse input, interleaved so all see the same
 * machine. Target: airlock's median at most half of cc-safety-net's.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = new URL("../", import.meta.url).pathname;
const AIRLOCK = join(ROOT, "bin", "airlock.mjs");
const CLIENT = join(ROOT, "bin", "airlock-hook.sh");
const ENTRY = join(ROOT, "dist", "airlock-hook.mjs");
const CC_SAFETY_NET = join(ROOT, "node_modules", "cc-safety-net", "dist", "bin", "cc-safety-net.js");

export interface HookBenchOptions {
  /** Calls of each hook (default BENCH_HOOK_RUNS, or 21). */
  runs?: number;
  /** The Bash command in the PreToolUse input (default a read-only git command). */
  command?: string;
}

export interface HookBenchResult {
  command: string;
  runs: number;
  /** `airlock hook`: a Node process per call. */
  airlockMs: number;
  /** The fast client and the hook daemon. */
  fastMs: number;
  ccSafetyNetMs: number;
  /** airlock / cc-safety-net; the target is 0.5 or less. */
  ratio: number;
  /** fast / cc-safety-net. */
  fastRatio: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Milliseconds from spawning the hook to its exit, checking it answered as a hook does. */
function timeCall(
  argv: string[],
  input: string,
  cwd: string,
  file = process.execPath,
  env = process.env,
): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(file, argv, { input, cwd, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${argv.join(" ")} exited ${run.status}: ${run.stderr}`);
  return ms;
}

export function benchHook(options: HookBenchOptions = {}): HookBenchResult {
  const runs = options.runs ?? Number(process.env.BENCH_HOOK_RUNS ?? 21);
  const command = options.command ?? "git status && git log --oneline -5";
  const cwd = mkdtempSync(join(tmpdir(), "airlock-bench-hook-"));
  const input = JSON.stringify({
    session_id: "bench",
    transcript_path: join(cwd, "transcript.jsonl"),
    cwd,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command, description: "bench" },
    tool_use_id: "toolu_bench",
  });
  const airlock = [AIRLOCK, "hook", "claude-code"];
  const ccSafetyNet = [CC_SAFETY_NET, "hook", "--claude-code"];
  // The fast client with a Node path that does not exist: a call the daemon missed fails the bench.
  const fast = [CLIENT, "/nonexistent/node", ENTRY, "claude-code", "--timeout", "30"];
  const socket = join(cwd, "hook.sock");
  const fastEnv = { ...process.env, AIRLOCK_HOOK_SOCKET: socket };
  const daemon = spawn(process.execPath, [AIRLOCK, "hook-daemon"], { env: fastEnv, stdio: "ignore" });
  try {
    for (let i = 0; i < 200 && !existsSync(socket); i++) spawnSync("sleep", ["0.05"]);
    // One warm-up call each: the first airlock run also checks the policy's examples once per build.
    timeCall(airlock, input, cwd);
    timeCall(fast, input, cwd, "sh", fastEnv);
    timeCall(ccSafetyNet, input, cwd);
    const a: number[] = [];
    const f: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(timeCall(airlock, input, cwd));
      f.push(timeCall(fast, input, cwd, "sh", fastEnv));
      c.push(timeCall(ccSafetyNet, input, cwd));
    }
    const [airlockMs, fastMs, ccSafetyNetMs] = [median(a), median(f), median(c)];
    const result = {
      command,
      runs,
      airlockMs,
      fastMs,
      ccSafetyNetMs,
      ratio: airlockMs / ccSafetyNetMs,
      fastRatio: fastMs / ccSafetyNetMs,
    };
    process.stdout.write(
      `hook call (${runs} runs each, interleaved, \`${command}\`): airlock ${airlockMs.toFixed(1)} ms, airlock via hook-daemon ${fastMs.toFixed(1)} ms, cc-safety-net ${ccSafetyNetMs.toFixed(1)} ms; ratio ${result.ratio.toFixed(2)}, via daemon ${result.fastRatio.toFixed(2)} (target ≤ 0.50)\n`,
    );
    return result;
  } finally {
    daemon.kill("SIGTERM");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) benchHook();
