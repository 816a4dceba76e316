import { spawnSync } from "node:child_process";
import { loadAllCliHooks } from "../ingress/hooks/registry.js";
import type { CliHook, HookAnswer, Scope } from "../ingress/hooks/types.js";
import { type Finding, hookActivity } from "./doctor-active.js";
import { mcpServerLines } from "./doctor-mcp.js";
import { homeDir, readSettings } from "./install.js";

/** A command every policy worth having stops; it is only shown to the hook, never run. */
export const DANGEROUS_SAMPLE = "rm -rf /";
/** A command every policy lets through: a hook that blocks it too blocks every tool call. */
export const HARMLESS_SAMPLE = "ls";

/** Run one installed hook command the way its CLI does: through the shell, the sample on stdin. */
export function runInstalledHook(
  command: string,
  input: unknown,
  cwd: string,
): HookAnswer & { error?: string } {
  const run = spawnSync(command, {
    shell: true,
    cwd,
    input: JSON.stringify(input),
    encoding: "utf8",
    timeout: 60_000,
  });
  return {
    exitCode: run.status ?? -1,
    stdout: run.stdout ?? "",
    stderr: run.stderr ?? "",
    ...(run.error ? { error: run.error.message } : {}),
  };
}

function why(answer: HookAnswer & { error?: string }): string {
  const said =
    answer.error ??
    (answer.stderr.trim() || `exit ${answer.exitCode}, output ${JSON.stringify(answer.stdout.trim())}`);
  return said.slice(0, 300);
}

function check(hook: CliHook, scope: Scope, file: string, command: string): Finding {
  const reinstall = `reinstall with \`airlock install ${hook.name}${scope === "project" ? " --project" : ""}\``;
  const answer = runInstalledHook(command, hook.sample(DANGEROUS_SAMPLE, process.cwd()), process.cwd());
  if (!hook.blocks(answer))
    return {
      line: `  ${scope}: ${file}: DOES NOT BLOCK \`${DANGEROUS_SAMPLE}\` (${why(answer)}); ${reinstall}`,
      failed: true,
    };
  // A hook that cannot start blocks too (fail closed): it must also let an ordinary command through.
  const harmless = runInstalledHook(command, hook.sample(HARMLESS_SAMPLE, process.cwd()), process.cwd());
  if (hook.blocks(harmless))
    return {
      line: `  ${scope}: ${file}: BLOCKS EVERY TOOL CALL, \`${HARMLESS_SAMPLE}\` too (${why(harmless)}); ${reinstall}`,
      failed: true,
    };
  return {
    line: `  ${scope}: ${file}: blocks \`${DANGEROUS_SAMPLE}\`, lets \`${HARMLESS_SAMPLE}\` through`,
    failed: false,
  };
}

function inspect(hook: CliHook): Finding[] {
  const findings: Finding[] = [];
  for (const scope of ["user", "project"] as const) {
    for (const file of hook.settings.files(scope, homeDir(), process.cwd(), process.env)) {
      let commands: string[];
      try {
        const settings = readSettings(file);
        // Cursor's three events run one command: check it once.
        commands = settings ? [...new Set(hook.settings.commands(settings))] : [];
      } catch (err) {
        findings.push({ line: `  ${scope}: ${file}: unreadable (${(err as Error).message})`, failed: true });
        continue;
      }
      for (const command of commands) findings.push(check(hook, scope, file, command));
    }
  }
  return findings;
}

/** `airlock doctor`: which CLIs are protected, and whether each installed hook really blocks. */
export async function runDoctor(): Promise<number> {
  const mode = process.env.AIRLOCK_URL
    ? `connected to ${process.env.AIRLOCK_URL}${process.env.AIRLOCK_TOKEN ? "" : " (AIRLOCK_TOKEN is not set: every action will be denied)"}`
    : "standalone (no AIRLOCK_URL): decisions under the local policy";
  const { daemonHealth, hookSocketPath } = await import("./hook-daemon.js");
  const socket = hookSocketPath();
  const health = await daemonHealth(socket);
  const out = [
    `airlock hooks: ${mode}`,
    health
      ? `hook daemon: running on ${socket} (${health})`
      : `hook daemon: not running on ${socket} (the next hook call starts it; until then hooks answer through node, slower)`,
  ];
  let failed = false;
  for (const hook of await loadAllCliHooks()) {
    const findings = inspect(hook);
    // Installed is not enough: what the CLI reads must let the hook run.
    if (findings.length > 0)
      findings.push(
        ...hookActivity(hook.name, { home: homeDir(), project: process.cwd(), env: process.env }),
      );
    if (hook.name === "codex" && findings.length > 0) {
      // Codex runs a hook only once trusted: ask Codex, never assume.
      const { trustForDoctor } = await import("./codex-trust.js");
      const trust = await trustForDoctor(process.cwd(), process.env);
      findings.push({ line: `  trust: ${trust.line}`, failed: trust.failed });
    }
    const protectedNow = findings.length > 0 && findings.every((f) => !f.failed);
    if (findings.length === 0)
      out.push(`${hook.title}: not protected (run \`airlock install ${hook.name}\`)`);
    else
      out.push(
        `${hook.title}: ${protectedNow ? "protected" : "NOT PROTECTED"}`,
        ...findings.map((f) => f.line),
      );
    out.push(...mcpServerLines(hook.name, { home: homeDir(), project: process.cwd(), env: process.env }));
    failed ||= findings.some((f) => f.failed);
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return failed ? 1 : 0;
}
