import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname } from "node:path";
import * as z from "zod/mini";
import { loadAllCliHooks, loadCliHook } from "../ingress/hooks/registry.js";
import {
  CLI_NAMES,
  type CliHook,
  type CliName,
  isCliName,
  type Json,
  type Scope,
} from "../ingress/hooks/types.js";
import { hookCommand } from "./hook-command.js";
import { flagged, text } from "./options.js";

/** `airlock install`'s and `uninstall`'s flags as commander gives them (`--timeout` is checked with its own message). */
export const InstallFlags = z.object({
  user: flagged,
  project: flagged,
  command: text,
  timeout: text,
  fast: flagged,
  daemon: flagged,
  policy: text,
  mcp: flagged,
});

export interface InstallOptions {
  user?: boolean;
  project?: boolean;
  command?: string;
  timeout?: string;
  /** Accepted for older scripts: the fast client is what install writes by default. */
  fast?: boolean;
  /** `--no-daemon`: a Node process per call instead of the fast client and its daemon. */
  daemon?: boolean;
  /** The policy file the hook judges by (default AIRLOCK_POLICY at install time), written into the command. */
  policy?: string;
  /** Put the CLI's MCP servers behind `airlock mcp` (or restore them) instead of writing the hook. */
  mcp?: boolean;
}

/** The CLI's timeout for the hook: 30 s, or long enough for the configured wait for an approval. */
export function hookTimeout(options: InstallOptions, env: NodeJS.ProcessEnv = process.env): number {
  if (options.timeout !== undefined) return Number(options.timeout);
  const wait = Number(env.AIRLOCK_WAIT_SECONDS);
  return Math.max(30, Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) + 15 : 0);
}

/** What a person may need to do by hand after an install, per CLI. */
const NOTES: Partial<Record<CliName, string>> = {
  gemini:
    "Gemini CLI runs hooks only where hooks are enabled in its settings; `airlock doctor` checks the hook answers.",
  kiro: "Kiro runs hooks of the agent in use: if airlock.json was created, choose the `airlock` agent or make it the default.",
};

export function homeDir(): string {
  return process.env.HOME || homedir();
}

/** Settings as JSON; missing is undefined, unreadable or not an object is an error (never overwritten). */
export function readSettings(file: string): Json | undefined {
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("the file does not hold a JSON object");
  return parsed as Json;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Write through a temporary file, after keeping the previous content beside it. */
function replace(file: string, next: Json | undefined, existed: boolean): string | undefined {
  let backup: string | undefined;
  if (existed) {
    backup = `${file}.airlock-backup-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    copyFileSync(file, backup);
  }
  if (next === undefined) {
    rmSync(file);
    return backup;
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.airlock-${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, file);
  return backup;
}

/** The variables a hook reads, as set now: carried in the entry by CLIs that strip them (Gemini). */
const CARRIED = [
  "AIRLOCK_URL",
  "AIRLOCK_TOKEN",
  "AIRLOCK_ENVIRONMENT",
  "AIRLOCK_WAIT_SECONDS",
  "AIRLOCK_HOOK_TIMEOUT_MS",
  "AIRLOCK_HOOK_SOCKET",
];

function carried(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(CARRIED.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])));
}

/** Install into (or uninstall from) one settings file; returns the line to print. */
function editFile(hook: CliHook, file: string, install: boolean, command: string, seconds: number): string {
  const format = hook.settings;
  const current = readSettings(file);
  if (install) {
    const env = carried(process.env);
    const next = format.add(current ?? format.fresh?.(file) ?? {}, command, seconds, env);
    if (current && same(current, next)) return `${hook.title}: already installed in ${file}`;
    const backup = replace(file, next, current !== undefined);
    // A token carried in the entry: the file is for its owner's eyes only.
    if (env.AIRLOCK_TOKEN && JSON.stringify(next).includes(env.AIRLOCK_TOKEN)) chmodSync(file, 0o600);
    return `${hook.title}: installed in ${file}${backup ? ` (previous version kept as ${backup})` : ""}`;
  }
  if (!current || format.commands(current).length === 0) return `${hook.title}: not installed in ${file}`;
  const rest = format.remove(current);
  const empty =
    Object.keys(rest).length === 0 || (format.fresh !== undefined && same(rest, format.fresh(file)));
  const backup = replace(file, empty ? undefined : rest, true);
  return `${hook.title}: removed from ${file}${empty ? " (the file held nothing else and is gone)" : ""}${backup ? `; previous version kept as ${backup}` : ""}`;
}

/** `airlock install|uninstall <cli|all> [--user|--project]`. */
export async function runInstall(
  verb: "install" | "uninstall",
  cli: string,
  options: InstallOptions,
): Promise<number> {
  if (options.user && options.project) {
    process.stderr.write(`airlock ${verb}: give --user or --project, not both\n`);
    return 64;
  }
  if (cli !== "all" && !isCliName(cli)) {
    process.stderr.write(
      `airlock ${verb}: unknown CLI "${cli}"; use one of ${CLI_NAMES.join(", ")}, or all\n`,
    );
    return 64;
  }
  const scope: Scope = options.project ? "project" : "user";
  if (options.mcp) {
    const { runMcpInstall } = await import("../ingress/hooks/mcp-install.js");
    const where = { home: homeDir(), project: process.cwd(), env: process.env };
    const done = runMcpInstall(verb, cli === "all" ? CLI_NAMES : [cli], scope, where);
    process.stdout.write(done.out);
    process.stderr.write(done.err);
    return done.status;
  }
  const seconds = hookTimeout(options);
  if (!Number.isInteger(seconds) || seconds < 5) {
    process.stderr.write(`airlock ${verb}: --timeout must be a whole number of seconds, 5 or more\n`);
    return 64;
  }
  const policy = options.policy ?? (process.env.AIRLOCK_POLICY || undefined);
  const hooks = cli === "all" ? await loadAllCliHooks() : [await loadCliHook(cli)];
  let status = 0;
  for (const hook of hooks) {
    const command =
      options.command ??
      hookCommand(hook.name, seconds, {
        ...(policy ? { policy } : {}),
        ...(options.daemon === false ? { noDaemon: true } : {}),
      });
    for (const file of hook.settings.files(scope, homeDir(), process.cwd(), process.env)) {
      try {
        process.stdout.write(`${editFile(hook, file, verb === "install", command, seconds)}\n`);
      } catch (err) {
        status = 1;
        process.stderr.write(
          `airlock ${verb}: ${hook.title}: ${file} was left as it is: ${(err as Error).message}. Fix the file and run this again.\n`,
        );
      }
    }
    const note = NOTES[hook.name];
    if (verb === "install" && note) process.stdout.write(`  note: ${note}\n`);
    if (verb === "install" && hook.name === "codex" && options.command === undefined) {
      const { trustAfterInstall } = await import("./codex-trust.js");
      const trust = await trustAfterInstall(process.cwd(), process.env);
      (trust.failed ? process.stderr : process.stdout).write(
        `  ${trust.failed ? "warning" : "trust"}: ${trust.line}\n`,
      );
      if (trust.failed) status = 1;
    }
  }
  return status;
}
