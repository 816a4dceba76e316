import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { geminiCanAsk, interactiveArgs } from "../../../src/ingress/hooks/gemini-session.js";

/**
 * Whether Gemini CLI has someone to answer "ask": its arguments as Gemini reads them, and a process
 * looked at through /proc (standard input and output a terminal or not). The processes here stand in
 * for Gemini's command line only; real-cli/gemini.test.ts runs the real CLI both ways.
 */

describe("Gemini's arguments", () => {
  it.each([
    [[], true],
    [["--yolo"], true],
    [["-m", "gemini-2.5-flash"], true],
    [["-i", "fix the tests"], true],
    [["--prompt-interactive=fix"], true],
    [["-p", "fix the tests"], false],
    [["--prompt=fix"], false],
    [["-m", "gemini-2.5-flash", "-p", "x", "--yolo"], false],
    [["fix the tests"], false],
    [["--yolo", "fix the tests"], false],
    [["mcp", "list"], false],
  ])("%j interactive: %s", (args, interactive) => {
    expect(interactiveArgs(args)).toBe(interactive);
  });
});

const stand = mkdtempSync(join(tmpdir(), "airlock-gemini-session-"));
const GEMINI = join(stand, "gemini.mjs");
writeFileSync(GEMINI, "process.stdout.write('READY ' + process.pid + '\\n'); setInterval(() => {}, 1e6);\n");

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.pid) process.kill(-child.pid, "SIGKILL");
});

/** A process named like Gemini, in a terminal (under `script`) or on pipes; its pid once it runs. */
function gemini(args: string[], terminal: boolean): Promise<number> {
  const line = [process.execPath, GEMINI, ...args].map((w) => `'${w}'`).join(" ");
  const child = terminal
    ? spawn("script", ["-qfec", `exec ${line}`, "/dev/null"], {
        detached: true,
        stdio: ["pipe", "pipe", "ignore"],
      })
    : spawn(process.execPath, [GEMINI, ...args], { detached: true, stdio: ["pipe", "pipe", "ignore"] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const pid = /READY (\d+)/.exec(out)?.[1];
      if (pid) resolve(Number(pid));
    });
    child.on("exit", (code) => reject(new Error(`the stand-in ended (${code}) before it ran: ${out}`)));
    child.on("error", (err) =>
      reject(new Error(`cannot start it (is \`script\` from util-linux installed?): ${err.message}`)),
    );
  });
}

describe("the Gemini process", () => {
  it("in a terminal, without a prompt: a person can answer", async () => {
    const pid = await gemini(["--yolo"], true);
    expect(geminiCanAsk({ AIRLOCK_AGENT_PID: String(pid) })).toBe(true);
  });

  it("in a terminal with -p, on pipes, under CI, or unknown: nobody answers", async () => {
    const prompted = await gemini(["-p", "fix"], true);
    expect(geminiCanAsk({ AIRLOCK_AGENT_PID: String(prompted) })).toBe(false);
    const piped = await gemini([], false);
    expect(geminiCanAsk({ AIRLOCK_AGENT_PID: String(piped) })).toBe(false);
    const inTerminal = await gemini([], true);
    expect(geminiCanAsk({ AIRLOCK_AGENT_PID: String(inTerminal), CI: "true" })).toBe(false);
    expect(geminiCanAsk({})).toBe(false);
    expect(geminiCanAsk({ AIRLOCK_AGENT_PID: "1" })).toBe(false);
  });
});
