import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { type HookRun, runWithInput } from "../run-hook.js";

/**
 * The real agent CLIs, run headless in a throwaway HOME against a scripted model endpoint, with
 * airlock put in by `airlock install`. What a tool call did is read from the file system: the
 * scripted command touches a marker file, so a marker that exists means the tool ran.
 */

const ROOT = new URL("../../../../", import.meta.url).pathname;
export const AIRLOCK = join(ROOT, "bin", "airlock.mjs");
const BIN = join(ROOT, "node_modules", ".bin");

/** The installed CLI's executable, or a failure that says how to get it. */
export function cliBinary(name: string, pkg: string): string {
  const file = join(BIN, name);
  if (!existsSync(file))
    throw new Error(`${name} is missing: run \`npm install\` (the devDependency ${pkg} provides it)`);
  return file;
}

/** The policy the hooks judge by: commands naming "airlock-deny" (and wipes, for doctor) are denied, the rest allowed. */
const POLICY = `version: 1
name: real-cli-test
rules:
  - id: wipe-denied
    reason: Wiping a host is never left to an agent
    match: { tags: [wipe] }
    decision: deny
  - id: marker-denied
    reason: The test's stand-in for a dangerous command
    match: {}
    when: 'has(action.command) && action.command.contains("airlock-deny")'
    decision: deny
  - id: read-denied
    reason: The test's stand-in for a file the agent must not read
    match: {}
    when: 'op.targets.exists(t, t.name.contains("airlock-deny"))'
    decision: deny
  - id: marker-confirm
    reason: The test's stand-in for a command the person at the keyboard may confirm
    match: {}
    when: 'has(action.command) && action.command.contains("airlock-ask")'
    decision: hold
    approvals: { required: 1, localConfirm: true }
  - id: everything-else
    reason: The test allows everything else
    match: {}
    decision: allow
`;

export interface Sandbox {
  root: string;
  home: string;
  project: string;
  policy: string;
  /** The socket of the hook daemon the hooks start on first use (one per sandbox). */
  socket: string;
}

export function sandbox(name: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `airlock-real-${name}-`));
  const box = {
    root,
    home: join(root, "home"),
    project: join(root, "shop"),
    policy: join(root, "policy.yaml"),
    socket: join(root, "run", "hook.sock"),
  };
  mkdirSync(box.home);
  mkdirSync(box.project);
  writeFileSync(box.policy, POLICY);
  // A git repository: some CLIs look for the project's root.
  spawnSync("git", ["init", "-q", box.project]);
  return box;
}

/** The environment every process of the sandbox runs in: nothing of the test runner's own. */
export function sandboxEnv(box: Sandbox, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    // The CLIs installed as devDependencies first (airlock install asks `codex` for its trust).
    PATH: `${BIN}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: box.home,
    TERM: "dumb",
    LANG: "C.UTF-8",
    AIRLOCK_HOOK_SOCKET: box.socket,
    AIRLOCK_HOOK_DAEMON_IDLE_SECONDS: "30",
    ...extra,
  };
}

/** `airlock install <cli> …` into the sandbox's HOME; the output, or a failed expectation. */
export function install(
  box: Sandbox,
  cli: string,
  args: string[] = [],
  extra: Record<string, string> = {},
): string {
  const run = spawnSync(process.execPath, [AIRLOCK, "install", cli, "--policy", box.policy, ...args], {
    cwd: box.project,
    env: sandboxEnv(box, extra),
    encoding: "utf8",
  });
  expect(run.status, `airlock install ${cli}: ${run.stdout}${run.stderr}`).toBe(0);
  return run.stdout;
}

export type AgentRun = HookRun;

/** Run a CLI to its end (no wall-clock limit: vitest's own timeout ends a hung test). */
export function runAgent(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<AgentRun> {
  return runWithInput(file, args, options.input ?? "", options);
}

/** Edit an installed settings file as text (to move the hook's program out of reach). */
export function rewrite(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  expect(text, `${file} should hold ${from}`).toContain(from);
  writeFileSync(file, text.replaceAll(from, to));
}

/** The scripted command: touch a marker in the project; `deny` names it so the policy denies it. */
export function markerCommand(box: Sandbox, name: string): { command: string; marker: string } {
  const marker = join(box.project, name);
  return { command: `touch ${marker}`, marker };
}

/** What a run said, for a failed expectation's message. */
export function told(run: AgentRun): string {
  return `exit ${run.status}\nstdout: ${run.stdout.slice(-3000)}\nstderr: ${run.stderr.slice(-3000)}`;
}
