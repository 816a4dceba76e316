import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";

/** Runs the real bundled CLI, `bin/airlock.mjs hook <cli>`, with stdin, as the agent CLIs do. */

export const BIN = new URL("../../../bin/airlock.mjs", import.meta.url).pathname;
const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;

export const CLIS: readonly CliName[] = ["claude-code", "gemini", "cursor", "kiro", "codex", "copilot"];

/** A project directory and a directory outside it, and an isolated HOME (one cache for the whole run). */
export function sandbox(): { project: string; outside: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), "airlock-hooks-"));
  const dirs = { project: join(root, "shop"), outside: join(root, "elsewhere"), home: join(root, "home") };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.project, "src"));
  return dirs;
}

const CACHE = mkdtempSync(join(tmpdir(), "airlock-hooks-cache-"));

/** The environment a hook sees: nothing of the test runner's own airlock settings. */
export function hookEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CACHE_HOME: CACHE,
    // A daemon the fast client starts on first use goes away soon after the test.
    AIRLOCK_HOOK_DAEMON_IDLE_SECONDS: "10",
    ...extra,
  };
}

/** A fixture's text with its directories filled in. */
export function fixture(cli: CliName, name: string, dirs: { project: string; outside: string }): string {
  return readFileSync(join(FIXTURES, cli, `${name}.json`), "utf8")
    .replaceAll("@PROJECT@", dirs.project)
    .replaceAll("@OUTSIDE@", dirs.outside);
}

/** Any other airlock command, run synchronously in the project with HOME set to the sandbox's. */
export function airlock(
  args: string[],
  dirs: { home: string; project: string },
  extra: Record<string, string> = {},
): HookRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dirs.project,
    env: hookEnv(dirs.home, extra),
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export interface HookRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runHook(
  cli: string,
  input: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<HookRun> {
  return runWithInput(process.execPath, [BIN, "hook", cli, ...args], input, { env });
}

/** Any command, `input` on its stdin, as an agent CLI runs its hook. */
export function runWithInput(
  file: string,
  args: string[],
  input: string,
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<HookRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** What each CLI reads as "blocked", "ask the user" and "go ahead", per its documentation. */
function json(run: HookRun): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function permission(cli: CliName, run: HookRun): { decision: string | undefined; reason: string } {
  if (cli === "kiro") return { decision: run.status === 2 ? "deny" : undefined, reason: run.stderr };
  expect(run.status).toBe(0);
  if (run.stdout.trim() === "" || run.stdout.trim() === "{}") return { decision: undefined, reason: "" };
  const out = json(run);
  if (cli === "claude-code" || cli === "codex") {
    const specific = out.hookSpecificOutput as Record<string, string>;
    expect(specific.hookEventName).toBe("PreToolUse");
    return { decision: specific.permissionDecision, reason: specific.permissionDecisionReason ?? "" };
  }
  if (cli === "gemini") return { decision: out.decision as string, reason: out.reason as string };
  if (cli === "cursor") {
    if (out.permission !== "allow") expect(out.agent_message).toBeTruthy();
    return { decision: out.permission as string, reason: (out.agent_message as string) ?? "" };
  }
  return { decision: out.permissionDecision as string, reason: out.permissionDecisionReason as string };
}

/** The run blocked the tool; returns the reason the agent reads. */
export function expectBlocked(cli: CliName, run: HookRun): string {
  const p = permission(cli, run);
  expect(p.decision, `${cli}: ${run.stdout}${run.stderr}`).toBe("deny");
  expect(p.reason.length).toBeGreaterThan(20);
  return p.reason;
}

export function expectAsked(cli: CliName, run: HookRun): string {
  const p = permission(cli, run);
  expect(p.decision, `${cli}: ${run.stdout}${run.stderr}`).toBe("ask");
  return p.reason;
}

/** No objection: the CLI's own permission rules decide (Cursor's hook answers an explicit allow). */
export function expectAllowed(cli: CliName, run: HookRun): void {
  const p = permission(cli, run);
  expect(p.decision, `${cli}: ${run.stdout}${run.stderr}`).toBe(cli === "cursor" ? "allow" : undefined);
  if (cli === "kiro") expect(run.status).toBe(0);
}
