import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { evaluate } from "../../../src/gate/decide.js";
import { loadPolicy } from "../../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../../src/policy/compile.js";
import { generatePrograms } from "./programs.js";

/**
 * Differential test against a real bash: generated programs (programs.ts) run under bash in a
 * throwaway directory whose PATH holds only a recording stand-in for `rm` and a few harmless tools,
 * as the unprivileged user `nobody` when the test runs as root (so even a mistake could not delete
 * anything but the throwaway directory). Every program bash makes call `rm` must not be allowed by
 * airlock. Seeded: the same programs every run.
 */
/** 500 programs take seconds on an idle machine and about two minutes under a load of 17 on 2 cores. */
const N = Number(process.env.SHELL_DIFF_N ?? 500);
const SEED = 13;
/** Real tools the constructs need; each finds `rm` through PATH, so it reaches the stand-in. */
const TOOLS = ["bash", "env", "xargs", "timeout", "nice", "cat", "base64", "mkdir"];

let policy: CompiledPolicy;
let dir: string;
let record: string;
let asNobody: string[];

function which(tool: string): string | undefined {
  for (const d of ["/usr/bin", "/bin", "/usr/local/bin"]) if (existsSync(join(d, tool))) return join(d, tool);
  return undefined;
}

beforeAll(async () => {
  policy = await loadPolicy();
  const bash = which("bash");
  if (!bash) throw new Error("the differential test needs bash: install it (apt-get install bash)");
  // The programs really run, and some really try to delete /: they must run as a user who owns
  // nothing outside the throwaway directory. Only root can become such a user (nobody), so the test
  // runs as root (as CI does, in a throwaway machine) and refuses to run otherwise.
  if (process.getuid?.() !== 0)
    throw new Error(
      "the differential test runs generated programs that try to delete / under a real bash; it must run as root so that it can run them as the unprivileged user nobody (run the tests as root in a throwaway container or VM, as CI does)",
    );
  const setpriv = which("setpriv");
  if (!setpriv)
    throw new Error(
      "the differential test needs setpriv (util-linux: apt-get install util-linux) to drop to nobody",
    );
  asNobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
  dir = mkdtempSync(join(tmpdir(), "airlock-differential-"));
  chmodSync(dir, 0o755);
  const bin = join(dir, "bin");
  mkdirSync(bin);
  record = join(dir, "record", "calls.log");
  mkdirSync(join(dir, "record"), { mode: 0o777 });
  chmodSync(join(dir, "record"), 0o777);
  writeFileSync(record, "");
  chmodSync(record, 0o666);
  // The stand-in records its arguments and deletes nothing.
  writeFileSync(join(bin, "rm"), `#!/bin/sh\nprintf 'rm %s\\n' "$*" >> "\${AIRLOCK_RECORD:-${record}}"\n`, {
    mode: 0o755,
  });
  for (const tool of TOOLS) {
    const real = which(tool);
    if (!real) throw new Error(`the differential test needs ${tool} on the system`);
    symlinkSync(real, join(bin, tool));
  }
  symlinkSync(which("dash") ?? bash, join(bin, "sh"));
  mkdirSync(join(dir, "work"), { mode: 0o777 });
  chmodSync(join(dir, "work"), 0o777);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Run programs under bash, each in its own bash process, all from one driver script (one spawn, so
 * a busy machine is not paid for per program). Returns, for each, whether it called `rm`.
 */
function destroys(texts: string[]): boolean[] {
  const work = join(dir, "work");
  rmSync(join(work, "p"), { recursive: true, force: true });
  mkdirSync(join(work, "p"), { mode: 0o777 });
  chmodSync(join(work, "p"), 0o777);
  for (const [i, t] of texts.entries()) writeFileSync(join(work, "p", `${i}.sh`), `${t}\n`, { mode: 0o644 });
  const driver = join(work, "driver.sh");
  writeFileSync(
    driver,
    // Refuse to run unless \`rm\` is the stand-in and the shell is not root: nothing may really delete.
    `[ "$(command -v rm)" = "${join(dir, "bin", "rm")}" ] || exit 3\n${asNobody.length > 0 ? '[ "$EUID" != 0 ] || exit 4\n' : ""}i=0\nwhile [ $i -lt ${texts.length} ]; do\n  mkdir -p "run/$i" && cd "run/$i" || exit 1\n  AIRLOCK_RECORD="${record}.$i" timeout 20 bash --norc --noprofile "../../p/$i.sh" </dev/null >/dev/null 2>&1\n  cd ../..\n  i=$((i + 1))\ndone\n`,
    { mode: 0o644 },
  );
  rmSync(join(work, "run"), { recursive: true, force: true });
  mkdirSync(join(work, "run"), { mode: 0o777 });
  chmodSync(join(work, "run"), 0o777);
  const [cmd = "", ...pre] = [...asNobody, join(dir, "bin", "bash"), "--norc", "--noprofile", driver];
  const run = spawnSync(cmd, pre, {
    cwd: work,
    env: { PATH: join(dir, "bin"), HOME: work },
    input: "",
    stdio: ["pipe", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`the driver failed: ${run.stderr}`);
  return texts.map((_, i) => {
    const file = `${record}.${i}`;
    return existsSync(file) && readFileSync(file, "utf8").includes("rm ");
  });
}

it("the sandbox runs unprivileged, and the stand-in records instead of deleting", () => {
  expect(destroys(["rm -rf /", "echo rm -rf /"])).toEqual([true, false]);
  const id = spawnSync(
    asNobody[0] ?? join(dir, "bin", "bash"),
    [...asNobody.slice(1), join(dir, "bin", "bash"), "-c", "echo $EUID"],
    {
      encoding: "utf8",
    },
  );
  if (asNobody.length > 0) expect(id.stdout.trim()).toBe("65534");
});

it("allows no program that bash makes delete /", async () => {
  const programs = generatePrograms(N, SEED);
  let destroyed = 0;
  const allowed: string[] = [];
  const ran = destroys(programs.map((p) => p.text));
  for (const [i, p] of programs.entries()) {
    if (!ran[i]) continue;
    destroyed++;
    const d = (await evaluate({ kind: "shell", command: p.text, cwd: "/home/dev/app" }, policy)).decision;
    if (d.decision === "allow") allowed.push(`[${p.steps.join(" → ")}]\n    ${JSON.stringify(p.text)}`);
  }
  console.log(
    `differential test: ${programs.length} programs (seed ${SEED}), ${destroyed} call rm under bash, ${allowed.length} of those allowed (${((100 * allowed.length) / Math.max(destroyed, 1)).toFixed(2)}%)`,
  );
  // The generator must mostly produce programs that really run rm, or the test proves nothing.
  expect(destroyed).toBeGreaterThan(programs.length / 2);
  expect(allowed, allowed.slice(0, 30).join("\n")).toEqual([]);
}, 900_000);
