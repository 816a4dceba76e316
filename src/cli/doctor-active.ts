import { platform } from "node:os";
import { join } from "node:path";
import { isRecord, text } from "../ingress/hooks/event.js";
import { isAirlockCommand } from "../ingress/hooks/settings.js";
import type { CliName, Json } from "../ingress/hooks/types.js";
import { readSettings } from "./install.js";

/**
 * Whether a CLI will really run the hook airlock installed, read from the files the CLI itself reads,
 * in the order it merges them (found in each CLI's own code): a setting that switches hooks off, and
 * the variables the CLI strips from a hook's environment. `airlock doctor` calls a CLI protected
 * only when none of these is in the way.
 */

export interface Finding {
  line: string;
  failed: boolean;
}

interface Where {
  home: string;
  project: string;
  env: NodeJS.ProcessEnv;
}

/** The value of `path` in the last of `files` that sets it (later files override earlier ones). */
function effective(files: string[], path: string[]): { value: unknown; file: string } | undefined {
  let found: { value: unknown; file: string } | undefined;
  for (const file of files) {
    let node: unknown;
    try {
      node = readSettings(file);
    } catch {
      continue; // an unreadable file is reported where airlock's own entry is read
    }
    for (const key of path) node = isRecord(node) ? node[key] : undefined;
    if (node !== undefined) found = { value: node, file };
  }
  return found;
}

/**
 * Claude Code 2.1 merges user ($CLAUDE_CONFIG_DIR or ~/.claude), project, local and managed settings;
 * `disableAllHooks: true` in the result switches every hook off, and `allowManagedHooksOnly` in
 * managed settings every hook but the organisation's.
 */
function claudeCode(where: Where): Finding[] {
  const user = text(where.env.CLAUDE_CONFIG_DIR) ?? join(where.home, ".claude");
  const managed =
    platform() === "darwin"
      ? "/Library/Application Support/ClaudeCode/managed-settings.json"
      : "/etc/claude-code/managed-settings.json";
  const files = [
    join(user, "settings.json"),
    join(where.project, ".claude", "settings.json"),
    join(where.project, ".claude", "settings.local.json"),
    managed,
  ];
  const findings: Finding[] = [];
  const disabled = effective(files, ["disableAllHooks"]);
  if (disabled?.value === true)
    findings.push({
      line: `  hooks: Claude Code runs NO hooks: disableAllHooks is true in ${disabled.file}; remove it`,
      failed: true,
    });
  if (effective([managed], ["allowManagedHooksOnly"])?.value === true)
    findings.push({
      line: `  hooks: Claude Code runs only managed hooks (allowManagedHooksOnly in ${managed}); airlock's hook must be installed there by its administrator`,
      failed: true,
    });
  return findings;
}

/** Gemini CLI's settings files, lowest precedence first: system defaults, user, workspace, system. */
function geminiFiles(where: Where): string[] {
  const system =
    platform() === "darwin"
      ? "/Library/Application Support/GeminiCli"
      : platform() === "win32"
        ? "C:\\ProgramData\\gemini-cli"
        : "/etc/gemini-cli";
  return [
    text(where.env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH) ?? join(system, "system-defaults.json"),
    join(text(where.env.GEMINI_CLI_HOME) ?? where.home, ".gemini", "settings.json"),
    join(where.project, ".gemini", "settings.json"),
    text(where.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH) ?? join(system, "settings.json"),
  ];
}

/** The variables a hook reads that Gemini would strip: what is set here and reaches the hook neither way. */
const NEEDED = ["AIRLOCK_URL", "AIRLOCK_TOKEN", "AIRLOCK_ENVIRONMENT", "AIRLOCK_POLICY"];

/** airlock's entries in Gemini settings: the command and the variables it carries. */
function geminiEntries(settings: Json | undefined): { command: string; env: Json }[] {
  const groups = isRecord(settings?.hooks) ? settings.hooks.BeforeTool : undefined;
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((g) =>
    isRecord(g) && Array.isArray(g.hooks)
      ? g.hooks.flatMap((h) =>
          isRecord(h) && isAirlockCommand(h.command, "gemini")
            ? [{ command: String(h.command), env: isRecord(h.env) ? h.env : {} }]
            : [],
        )
      : [],
  );
}

/**
 * Gemini CLI 0.61 runs hooks unless `hooksConfig.enabled` is false, skips a hook whose name is in
 * `hooksConfig.disabled`, and gives hooks a stripped environment when GITHUB_SHA is set,
 * SURFACE=Github, or `security.environmentVariableRedaction.enabled` is on (it merges the entry's
 * own `env` back in).
 */
function gemini(where: Where): Finding[] {
  const files = geminiFiles(where);
  const findings: Finding[] = [];
  const enabled = effective(files, ["hooksConfig", "enabled"]);
  if (enabled?.value === false)
    findings.push({
      line: `  hooks: Gemini CLI runs NO hooks: hooksConfig.enabled is false in ${enabled.file}; set it to true`,
      failed: true,
    });
  const disabled = effective(files, ["hooksConfig", "disabled"]);
  if (Array.isArray(disabled?.value) && disabled.value.includes("airlock"))
    findings.push({
      line: `  hooks: Gemini CLI skips airlock's hook: "airlock" is in hooksConfig.disabled in ${disabled?.file}; remove it`,
      failed: true,
    });
  const redaction = effective(files, ["security", "environmentVariableRedaction", "enabled"])?.value === true;
  const strict = Boolean(where.env.GITHUB_SHA) || where.env.SURFACE === "Github";
  if (!strict && !redaction) return findings;
  const why = strict ? (where.env.GITHUB_SHA ? "GITHUB_SHA is set" : "SURFACE=Github") : "redaction is on";
  for (const file of files.slice(1, 3)) {
    let entries: { command: string; env: Json }[];
    try {
      entries = geminiEntries(readSettings(file));
    } catch {
      continue;
    }
    for (const entry of entries) {
      const lost = NEEDED.filter(
        (name) =>
          where.env[name] &&
          entry.env[name] === undefined &&
          !(name === "AIRLOCK_POLICY" && entry.command.includes("--policy ")),
      );
      if (lost.length > 0)
        findings.push({
          line: `  env: Gemini CLI strips ${lost.join(", ")} from its hooks here (${why}), and airlock's hook in ${file} does not carry them, so it would decide without them; run \`airlock install gemini\` again with them set`,
          failed: true,
        });
    }
  }
  return findings;
}

/** What stands between the installed hook and the CLI running it, for the CLIs whose settings say so. */
export function hookActivity(cli: CliName, where: Where): Finding[] {
  if (cli === "claude-code") return claudeCode(where);
  if (cli === "gemini") return gemini(where);
  return [];
}
