/**
 * One agent-hook call, process start to answer: `airlock hook claude-code` against the
 * `cc-safety-net` Claude Code hook, on the same PreToolUse input, interleaved so both see the same
 * machine. Target: airlock's median at most half of cc-safety-net's.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = new URL("../", import.meta.url).pathname;
const AIRLOCK = join(ROOT, "bin", "airlock.mjs");
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
  airlockMs: number;
  ccSafetyNetMs: number;
  /** airlock / cc-safety-net; the target is 0.5 or less. */
  ratio: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Milliseconds from spawning the hook to its exit, checking it answered as a hook does. */
function timeCall(argv: string[], input: string, cwd: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { input, cwd, encoding: "utf8" });
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
  // One warm-up call each: the first airlock run also checks the policy's examples once per build.
  timeCall(airlock, input, cwd);
  timeCall(ccSafetyNet, input, cwd);
  const a: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(timeCall(airlock, input, cwd));
    c.push(timeCall(ccSafetyNet, input, cwd));
  }
  const result = {
    command,
    runs,
    airlockMs: median(a),
    ccSafetyNetMs: median(c),
    ratio: median(a) / median(c),
  };
  process.stdout.write(
    `hook call (${runs} runs each, interleaved, \`${command}\`): airlock ${result.airlockMs.toFixed(1)} ms, cc-safety-net ${result.ccSafetyNetMs.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)} (target ≤ 0.50)\n`,
  );
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) benchHook();
