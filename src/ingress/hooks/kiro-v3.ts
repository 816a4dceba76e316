import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isRecord } from "./event.js";
import { isAirlockCommand } from "./settings.js";
import type { Json, Scope } from "./types.js";

/**
 * Kiro CLI 3.x hooks (https://kiro.dev/docs/cli/v3/hooks/): standalone files `.kiro/hooks/<name>.json`,
 * `{ "version": "v1", "hooks": [{ name, trigger: "PreToolUse", matcher: <regex>, action: { type:
 * "command", command }, timeout, enabled }] }`, for every agent of the workspace. Kiro 2.x keeps hooks
 * in each agent's configuration (kiro.ts). Which one airlock writes is decided by what is installed.
 */

/** Whether this scope uses Kiro 3.x hooks: `kiro-cli --version` says 3 or later, or `.kiro/hooks/` is already there. */
export function usesKiroV3(root: string, env: NodeJS.ProcessEnv): boolean {
  if (existsSync(join(root, ".kiro", "hooks"))) return true;
  const run = spawnSync(env.AIRLOCK_KIRO ?? "kiro-cli", ["--version"], {
    encoding: "utf8",
    env,
    timeout: 10_000,
  });
  const major = Number(/(?<!\d)(\d+)\.\d/.exec(run.stdout ?? "")?.[1]);
  return Number.isFinite(major) && major >= 3;
}

export function v3File(scope: Scope, home: string, project: string): string {
  return join(scope === "user" ? home : project, ".kiro", "hooks", "airlock.json");
}

export function isV3File(file: string): boolean {
  return /[\\/]\.kiro[\\/]hooks[\\/][^\\/]+\.json$/.test(file);
}

function hooksOf(settings: Json): unknown[] {
  return Array.isArray(settings.hooks) ? settings.hooks : [];
}

const ours = (hook: unknown) =>
  isRecord(hook) && isRecord(hook.action) && isAirlockCommand(hook.action.command, "kiro");

export const kiroV3 = {
  fresh: (): Json => ({ version: "v1", hooks: [] }),
  /** The v3 file's shape: `hooks` is a list. */
  holds: (settings: Json): boolean => Array.isArray(settings.hooks),
  add: (settings: Json, command: string, seconds: number): Json => ({
    ...settings,
    version: settings.version ?? "v1",
    hooks: [
      ...hooksOf(settings).filter((h) => !ours(h)),
      {
        name: "airlock",
        trigger: "PreToolUse",
        matcher: ".*",
        action: { type: "command", command },
        timeout: seconds,
        enabled: true,
      },
    ],
  }),
  remove: (settings: Json): Json => {
    const hooks = hooksOf(settings).filter((h) => !ours(h));
    const rest: Json = { ...settings, hooks };
    return hooks.length === 0 && Object.keys(rest).every((k) => k === "version" || k === "hooks") ? {} : rest;
  },
  commands: (settings: Json): string[] =>
    hooksOf(settings)
      .filter(ours)
      .map((h) => String(((h as Json).action as Json).command)),
};
