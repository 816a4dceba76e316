import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeShellLoading, loadShell } from "../../../src/analyze/shell/index.js";
import { singleQuote } from "../../../src/analyze/shell/quote.js";

/**
 * What airlock says interpreter code runs, checked against what the real python3 and node run.
 * Each generated snippet starts stand-in programs (`probe-N`, recording their own name) through one
 * of the ways the languages start processes, in one of the ways code names them (imports, aliases,
 * variables, concatenation, f-strings, join). The snippet runs in a throwaway directory with only the
 * stand-ins on PATH. Then:
 * - every probe airlock says runs (a command operation naming it) really ran: no invented commands;
 * - every probe that really ran was found by airlock, or the code was reported opaque: never missed.
 */

/** The interpreters by absolute path: the snippets run with only the stand-ins on PATH. */
// (sys.executable, not `command -v`: version managers' shims need a PATH the test takes away.)
const python =
  spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout?.trim() ||
  undefined;

let dir: string;
let bin: string;
let log: string;
const PROBES = 12;

beforeAll(async () => {
  await loadShell();
  dir = mkdtempSync(join(tmpdir(), "airlock-interp-diff-"));
  bin = join(dir, "bin");
  log = join(dir, "probes.log");
  spawnSync("mkdir", [bin]);
  for (let i = 0; i < PROBES; i++) {
    const probe = join(bin, `probe-${i}`);
    // Builtins only: PATH holds nothing else.
    writeFileSync(probe, `#!/bin/sh\necho "\${0##*/}" >> "$PROBE_LOG"\n`);
    chmodSync(probe, 0o755);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run a snippet for real and return the probes that ran. */
function runReally(program: string, args: string[]): Set<string> {
  writeFileSync(log, "");
  const run = spawnSync(program, args, {
    cwd: dir,
    env: { PATH: bin, PROBE_LOG: log, HOME: dir },
    encoding: "utf8",
  });
  if (run.error) throw run.error;
  return new Set(readFileSync(log, "utf8").split("\n").filter(Boolean));
}

async function flagged(command: string): Promise<{ probes: Set<string>; opaque: boolean }> {
  const analysis = await analyzeShellLoading({ kind: "shell", command, cwd: "/home/dev/app" });
  const probes = new Set(
    analysis.operations.flatMap((o) => o.targets.filter((t) => t.type === "command").map((t) => t.name)),
  );
  return { probes, opaque: analysis.operations.some((o) => o.opaque) };
}

/** Ways Python starts a process, given how the code names the probe. */
function pythonSnippets(): string[] {
  const out: string[] = [];
  let n = 0;
  const probe = () => `probe-${n++ % PROBES}`;
  const names: ((p: string) => [string, string])[] = [
    (p) => ["", JSON.stringify(p)],
    (p) => [`cmd = ${JSON.stringify(p)}\n`, "cmd"],
    (p) => ["", `"probe-" + ${JSON.stringify(p.slice(6))}`],
    (p) => [`n = ${JSON.stringify(p.slice(6))}\n`, `f"probe-{n}"`],
    (p) => ["", `" ".join([${JSON.stringify(p)}])`],
  ];
  const calls: ((name: string) => string)[] = [
    (x) => `import os\nos.system(${x})`,
    (x) => `import os as o\no.popen(${x}).read()`,
    (x) => `from os import system\nsystem(${x})`,
    (x) => `__import__("os").system(${x})`,
    (x) => `import os\ngetattr(os, "system")(${x})`,
    (x) => `import subprocess\nsubprocess.run([${x}])`,
    (x) => `import subprocess\nsubprocess.run(${x}, shell=True)`,
    (x) => `import subprocess as sp\nsp.call([${x}, "-x"])`,
    (x) => `from subprocess import check_output\ncheck_output([${x}])`,
    (x) => `import subprocess\nsubprocess.Popen([${x}]).wait()`,
    (x) => `import subprocess\nsubprocess.getoutput(${x})`,
    (x) => `import os\nos.spawnvp(os.P_WAIT, ${x}, [${x}])`,
    (x) => `import subprocess\nsubprocess.run(${x})`,
  ];
  for (const call of calls)
    for (const name of names) {
      const p = probe();
      const [setup, expr] = name(p);
      out.push(`${setup}${call(expr)}`);
    }
  // Code that mentions a probe but runs nothing.
  out.push(
    `print("import os; os.system('probe-1')")`,
    `# os.system("probe-2")\nx = 1`,
    `s = "subprocess.run(['probe-3'])"`,
  );
  return out;
}

function nodeSnippets(): string[] {
  const out: string[] = [];
  let n = 0;
  const probe = () => `probe-${n++ % PROBES}`;
  const names: ((p: string) => [string, string])[] = [
    (p) => ["", JSON.stringify(p)],
    (p) => [`const cmd = ${JSON.stringify(p)};\n`, "cmd"],
    (p) => ["", `"probe-" + ${JSON.stringify(p.slice(6))}`],
    (p) => [`const n = ${JSON.stringify(p.slice(6))};\n`, "`probe-$" + "{n}`"],
  ];
  const calls: ((name: string) => string)[] = [
    (x) => `require("child_process").execSync(${x})`,
    (x) => `const cp = require("node:child_process");\ncp.execSync(${x})`,
    (x) => `const { execSync: run } = require("child_process");\nrun(${x})`,
    (x) => `const { spawnSync } = require("child_process");\nspawnSync(${x}, [])`,
    (x) => `require("child_process").spawnSync(${x}, { shell: true })`,
    (x) => `require("child_process").execFileSync(${x}, ["-x"])`,
    (x) => `require("child_process").exec(${x})`,
    (x) => `require("child_process")["execSync"](${x})`,
  ];
  for (const call of calls)
    for (const name of names) {
      const p = probe();
      const [setup, expr] = name(p);
      out.push(`${setup}${call(expr)}`);
    }
  out.push(
    `console.log("require('child_process').execSync('probe-1')")`,
    `// require("child_process").execSync("probe-2")\n1`,
  );
  return out;
}

async function check(program: string, snippets: string[], flag: string): Promise<void> {
  const failures: string[] = [];
  let ran = 0;
  for (const code of snippets) {
    const real = runReally(program, [flag, code]);
    ran += real.size;
    const said = await flagged(`${program} ${flag} ${singleQuote(code)}`);
    for (const p of said.probes)
      if (p.startsWith("probe-") && !real.has(p)) failures.push(`invented ${p}: ${code}`);
    for (const p of real) if (!said.probes.has(p) && !said.opaque) failures.push(`missed ${p}: ${code}`);
  }
  expect(failures).toEqual([]);
  // The generated set really starts processes (a broken stand-in would make this test vacuous).
  expect(ran).toBeGreaterThan(snippets.length / 2);
}

describe("interpreter code against the real interpreters", () => {
  it("python3: what airlock says runs is what runs", async () => {
    if (!python)
      throw new Error("python3 is not on PATH: install it (apt-get install python3) to run this test");
    await check(python, pythonSnippets(), "-c");
  });

  it("node: what airlock says runs is what runs", async () => {
    await check(process.execPath, nodeSnippets(), "-e");
  });
});
