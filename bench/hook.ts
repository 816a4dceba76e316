/**
 * One agent-hook call, process start to answer, run through `sh -c` as the CLIs run it: the command
 * `airlock install claude-code` writes by default (the fast client, answered by the hook daemon it
 * started on its first call), the one `install --no-daemon` writes (a Node process per call), and the
 * `cc-safety-net` Claude Code hook, on the same PreToolUse input, interleaved so all see the same
 * machine. Target: the default install's median at most half of cc-safety-net's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
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
  /** The default install's command: the fast client and the daemon it starts. */
  airlockMs: number;
  /** `install --no-daemon`: a Node process per call. */
  noDaemonMs: number;
  ccSafetyNetMs: number;
  /** default / cc-safety-net; the target is 0.5 or less. */
  ratio: number;
  /** no-daemon / cc-safety-net. */
  noDaemonRatio: number;
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
  const ccSafetyNet = [CC_SAFETY_NET, "hook", "--claude-code"];
  const socket = join(cwd, "run", "hook.sock");
  const env = { ...process.env, AIRLOCK_HOOK_SOCKET: socket, AIRLOCK_HOOK_DAEMON_IDLE_SECONDS: "120" };
  // The commands `airlock install` writes, as the CLI runs them: through sh -c.
  const installed = (args: string[]) => {
    const home = mkdtempSync(join(cwd, "home-"));
    const run = spawnSync(process.execPath, [AIRLOCK, "install", "claude-code", ...args], {
      env: { ...env, HOME: home },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`airlock install: ${run.stderr}`);
    const settings = JSON.parse(readFileSync(join(home, ".claude", "settings.json"), "utf8"));
    return String(settings.hooks.PreToolUse[0].hooks[0].command);
  };
  const fast = ["-c", installed([])];
  const slow = ["-c", installed(["--no-daemon"])];
  try {
    // Warm-up: the first default call starts the daemon; wait until it answers.
    timeCall(fast, input, cwd, "sh", env);
    for (let i = 0; i < 200 && !existsSync(socket); i++) spawnSync("sleep", ["0.05"]);
    spawnSync("sleep", ["1"]);
    timeCall(fast, input, cwd, "sh", env);
    timeCall(slow, input, cwd, "sh", env);
    timeCall(ccSafetyNet, input, cwd);
    const a: number[] = [];
    const n: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(timeCall(fast, input, cwd, "sh", env));
      n.push(timeCall(slow, input, cwd, "sh", env));
      c.push(timeCall(ccSafetyNet, input, cwd));
    }
    const [airlockMs, noDaemonMs, ccSafetyNetMs] = [median(a), median(n), median(c)];
    const result = {
      command,
      runs,
      airlockMs,
      noDaemonMs,
      ccSafetyNetMs,
      ratio: airlockMs / ccSafetyNetMs,
      noDaemonRatio: noDaemonMs / ccSafetyNetMs,
    };
    process.stdout.write(
      `hook call (${runs} runs each, interleaved, through sh -c, \`${command}\`): airlock as installed ${airlockMs.toFixed(1)} ms, airlock --no-daemon ${noDaemonMs.toFixed(1)} ms, cc-safety-net ${ccSafetyNetMs.toFixed(1)} ms; ratio ${result.ratio.toFixed(2)} (target ≤ 0.50), --no-daemon ${result.noDaemonRatio.toFixed(2)}\n`,
    );
    return result;
  } finally {
    stopDaemon(socket);
  }
}

/** The daemon the first call started: ask its pid, then end it. */
function stopDaemon(socket: string): void {
  const health = spawnSync("curl", ["-s", "--unix-socket", socket, "http://airlock/v1/health"], {
    encoding: "utf8",
  });
  const pid = Number(health.stdout.split(" ")[1]);
  if (pid > 0) process.kill(pid, "SIGTERM");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) benchHook();
