/**
 * The cost of interpreter code on shell lines: lines without any (which must not pay for the
 * grammars) against Python, Node and PowerShell one-liners, in-process through the gate.
 */
import { evaluate } from "../src/gate/decide.js";
import type { CompiledPolicy } from "../src/policy/compile.js";
import { loadCorpus } from "../test/corpora/corpus.js";

const INTERPRETER =
  /\b(python[0-9.]*|node|ruby|perl|php|awk|gawk|mawk|pwsh|powershell(\.exe)?|deno|bun|zx|cmd(\.exe)?)\b/;

export interface Timing {
  p50: number;
  p99: number;
}

/** Shell lines of the corpus with no interpreter code in them (the typical ones, not `edge`). */
export function linesWithoutCode(): unknown[] {
  return loadCorpus("shell")
    .filter((c) => c.label !== "edge" && !/interpreters|powershell|cmd/.test(c.file ?? ""))
    .filter((c) => !INTERPRETER.test(String(c.action.command)) && c.action.shell === undefined)
    .map((c) => c.action);
}

export const ONE_LINERS: Record<string, unknown> = {
  "python one-liner": {
    kind: "shell",
    command: `python3 -c "import subprocess; subprocess.run(['git', 'status'])"`,
    cwd: "/home/dev/app",
  },
  "node one-liner": {
    kind: "shell",
    command: `node -e "console.log(require('./package.json').version)"`,
    cwd: "/home/dev/app",
  },
  "powershell line": {
    kind: "shell",
    command: "Get-ChildItem .\\dist | Remove-Item -Recurse -Force",
    cwd: "C:\\Users\\dev\\app",
    shell: "powershell",
  },
};

export async function time(actions: unknown[], policy: CompiledPolicy, n: number): Promise<Timing> {
  for (const a of actions) await evaluate(a, policy);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await evaluate(actions[i % actions.length], policy);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  times.sort();
  const at = (p: number) => times[Math.min(n - 1, Math.floor(n * p))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

export async function benchInterpreters(policy: CompiledPolicy, n: number): Promise<string[]> {
  const plain = await time(linesWithoutCode(), policy, n);
  const lines = [
    `shell, no interpreter code   p50 ${plain.p50.toFixed(1)} µs   p99 ${plain.p99.toFixed(1)} µs`,
  ];
  for (const [name, action] of Object.entries(ONE_LINERS)) {
    const t = await time([action], policy, Math.min(n, 20_000));
    lines.push(
      `${name.padEnd(28)} p50 ${t.p50.toFixed(1)} µs   p99 ${t.p99.toFixed(1)} µs   (${(t.p50 / plain.p50).toFixed(1)}× a line without code)`,
    );
  }
  return lines;
}
