import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { claudeCode, copilot, gemini } from "./agents.js";
import { type AgentSpec, stopDaemons, trackedSandbox } from "./cases.js";
import { AIRLOCK, install, markerCommand, rewrite, type Sandbox, sandboxEnv, told } from "./harness.js";
import { startModelServer } from "./model-server.js";

/**
 * `airlock doctor` against the real CLIs: the install is broken the ways a user breaks it, doctor is
 * asked, and the real CLI is run the same way, so what doctor says is checked against what the CLI
 * does. "protected" must mean the CLI blocked the denied command; "NOT PROTECTED" that it ran it (or,
 * for a hook that cannot start, that every tool call is blocked, which doctor must say too).
 */

const CHECKOUT = new URL("../../../../", import.meta.url).pathname.replace(/\/$/, "");

afterAll(stopDaemons);

interface Breakage {
  name: string;
  /** Break the install (after `airlock install`), as a user would. */
  apply: (box: Sandbox, spec: AgentSpec) => void;
  /** Variables the user's shell has from then on (doctor and the CLI both see them). */
  env?: Record<string, string>;
  /** What doctor must say about this CLI. */
  doctor: RegExp;
  /** The command the model asks for: the policy's denied stand-in, or an allowed one. */
  command: "denied" | "allowed";
  /** Whether the real CLI runs that command, given the breakage. */
  runs: boolean;
}

/** Edit a JSON settings file in place. */
function editJson(file: string, edit: (doc: Record<string, unknown>) => Record<string, unknown>): void {
  mkdirSync(join(file, ".."), { recursive: true });
  const doc = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify(edit(doc), null, 2));
}

const intact: Breakage = {
  name: "nothing broken",
  apply: () => {},
  doctor: /: protected\n/,
  command: "denied",
  runs: false,
};
const removed: Breakage = {
  name: "the hook removed from the settings by hand",
  apply: (box, spec) => {
    const file = spec.settings(box);
    if (spec.cli === "copilot") rmSync(file);
    else editJson(file, ({ hooks: _hooks, ...rest }) => rest);
  },
  doctor: /: not protected \(run `airlock install/,
  command: "denied",
  runs: true,
};
const moved: Breakage = {
  name: "airlock moved away (the hook's path is wrong)",
  apply: (box, spec) => rewrite(spec.settings(box), CHECKOUT, "/nonexistent/airlock-moved"),
  doctor: /: NOT PROTECTED\n(.*\n)*.*BLOCKS EVERY TOOL CALL/,
  command: "allowed",
  runs: false,
};

const BREAKAGES: [AgentSpec, Breakage[]][] = [
  [
    claudeCode,
    [
      intact,
      removed,
      moved,
      {
        name: "disableAllHooks in the project's local settings",
        apply: (box) =>
          editJson(join(box.project, ".claude", "settings.local.json"), (d) => ({
            ...d,
            disableAllHooks: true,
          })),
        doctor: /: NOT PROTECTED\n(.*\n)*.*runs NO hooks: disableAllHooks is true in .*settings\.local\.json/,
        command: "denied",
        runs: true,
      },
    ],
  ],
  [
    gemini,
    [
      intact,
      removed,
      moved,
      {
        name: "hooksConfig.enabled false in the user's settings",
        apply: (box) =>
          editJson(join(box.home, ".gemini", "settings.json"), (d) => ({
            ...d,
            hooksConfig: { enabled: false },
          })),
        doctor: /: NOT PROTECTED\n(.*\n)*.*runs NO hooks: hooksConfig\.enabled is false/,
        command: "denied",
        runs: true,
      },
      {
        name: "airlock in hooksConfig.disabled",
        apply: (box) =>
          editJson(join(box.home, ".gemini", "settings.json"), (d) => ({
            ...d,
            hooksConfig: { disabled: ["airlock"] },
          })),
        doctor: /: NOT PROTECTED\n(.*\n)*.*skips airlock's hook: "airlock" is in hooksConfig\.disabled/,
        command: "denied",
        runs: true,
      },
      {
        // Connected after the install, in a GitHub workflow: Gemini strips AIRLOCK_URL from the hook,
        // which then decides alone and lets through what the (unreachable) server would have refused.
        name: "the environment stripped (AIRLOCK_URL set after the install, GITHUB_SHA set)",
        apply: () => {},
        env: {
          AIRLOCK_URL: "http://127.0.0.1:9/unreachable",
          AIRLOCK_TOKEN: "agent-token",
          GITHUB_SHA: "0123abcd",
        },
        doctor:
          /: NOT PROTECTED\n(.*\n)*.*strips AIRLOCK_URL, AIRLOCK_TOKEN from its hooks here \(GITHUB_SHA is set\)/,
        command: "allowed",
        runs: true,
      },
    ],
  ],
  [copilot, [intact, removed, moved]],
];

function doctor(box: Sandbox, env: Record<string, string>): string {
  const run = spawnSync(process.execPath, [AIRLOCK, "doctor"], {
    cwd: box.project,
    env: sandboxEnv(box, env),
    encoding: "utf8",
  });
  return `${run.stdout}${run.stderr}`;
}

/** The lines doctor printed about one CLI: its title line and the indented ones under it. */
function about(out: string, title: string): string {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => l.startsWith(`${title}: `));
  if (at < 0) return "";
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => !l.startsWith("  "));
  return `${[lines[at], ...rest.slice(0, end < 0 ? rest.length : end)].join("\n")}\n`;
}

const TITLES = { "claude-code": "Claude Code", gemini: "Gemini CLI", copilot: "GitHub Copilot CLI" } as const;

describe.each(BREAKAGES)("airlock doctor and the real $cli", (spec, breakages) => {
  it.each(breakages)("$name", async (breakage) => {
    const box = trackedSandbox(`${spec.cli}-doctor`);
    const name = breakage.command === "denied" ? "airlock-deny-marker" : "allowed-marker";
    const { command, marker } = markerCommand(box, name);
    const model = await startModelServer(spec.vendor, {
      tool: spec.shellTool,
      args: (tool) => spec.shellArgs(tool, command, box.project),
    });
    try {
      spec.prepare?.(box, model.url);
      install(box, spec.cli);
      breakage.apply(box, spec);
      const said = about(doctor(box, breakage.env ?? {}), TITLES[spec.cli as keyof typeof TITLES]);
      expect(said).toMatch(breakage.doctor);
      const run = await spec.run(box, model.url, breakage.env);
      expect(model.calls.length, told(run)).toBeGreaterThan(0);
      expect(existsSync(marker), `doctor said:\n${said}\nthe CLI: ${told(run)}`).toBe(breakage.runs);
    } finally {
      await model.close();
    }
  });
});
