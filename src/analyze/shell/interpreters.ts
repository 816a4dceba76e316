import { parseArgs } from "./args.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths } from "./filesystem.js";
import { migration } from "./migrations.js";
import { runScript } from "./shells.js";
import { literalWord, type Word } from "./words.js";

/** The flag that carries inline code, per interpreter. */
const CODE_FLAGS: Record<string, string[]> = {
  python: ["-c"],
  node: ["-e", "--eval", "-p", "--print"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  php: ["-r"],
  pwsh: ["-c", "-command", "-Command"],
  powershell: ["-c", "-command", "-Command"],
  deno: ["eval"],
  bun: ["-e", "--eval"],
};
const STRING = `(?:'([^']*)'|"([^"]*)"|\`([^\`]*)\`)`;
/** Calls that delete a path given as their first argument. */
const DELETES = new RegExp(
  `(?:rmtree|os\\.remove|os\\.unlink|os\\.rmdir|removedirs|rmSync|rmdirSync|unlinkSync|fs\\.rm|fs\\.promises\\.rm|rimraf(?:\\.sync)?|removeSync|rm_rf|rm_r|FileUtils\\.rm\\w*|File\\.delete|unlink|rmdir|remove_tree|Remove-Item|\\.unlink|\\.rmdir)\\s*(?:\\(\\s*)?(?:Path\\(\\s*)?(?:${STRING}|([\\w.$]+))`,
  "g",
);
/** Calls that hand a shell line to /bin/sh. */
const SHELLS = new RegExp(
  `(?:os\\.system|os\\.popen|subprocess\\.\\w+|execSync|exec|spawnSync|spawn|system|shell_exec|passthru|popen|Invoke-Expression|iex|\`)\\s*(?:\\(\\s*)?${STRING}`,
  "g",
);
const LIST_CALL = /subprocess\.\w+\(\s*\[([^[\]]*)\]/g;
const DYNAMIC =
  /\b(eval|exec|__import__|getattr|compile|Function|fromCharCode|b64decode|atob|Buffer\.from)\s*\(/;
const POWER = /\b(Stop-Computer|Restart-Computer|Format-Volume|Clear-Disk)\b/;

function analyzeCode(inv: Invocation, code: string): void {
  let found = false;
  for (const m of code.matchAll(DELETES)) {
    found = true;
    const literal = m[1] ?? m[2] ?? m[3];
    const path: Word =
      literal !== undefined
        ? literalWord(literal)
        : { value: `$${m[4] ?? "path"}`, known: false, ifEmpty: "$path", glob: false, substitutions: [] };
    destroyPaths(inv, `${inv.program} delete`, [path], {
      recursive: /rmtree|recursive|rm_rf|rimraf|Recurse|remove_tree|removeSync|rmSync/i.test(code),
      verb: "deletes",
    });
  }
  for (const m of code.matchAll(SHELLS)) {
    found = true;
    inv.reparse(m[1] ?? m[2] ?? m[3] ?? "");
  }
  for (const m of code.matchAll(LIST_CALL)) {
    found = true;
    const words = [...(m[1] ?? "").matchAll(/['"]([^'"]*)['"]/g)].map((x) => literalWord(x[1] ?? ""));
    inv.dispatch(words, { kind: "none" });
  }
  if (POWER.test(code)) {
    found = true;
    emit(inv, {
      name: `${inv.program} host power`,
      effect: "write",
      summary: `${inv.program} stops, restarts or formats the machine`,
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["outage"],
    });
  }
  if (DYNAMIC.test(code)) {
    emitOpaque(
      inv,
      `${inv.program} -c (opaque)`,
      `${inv.program} builds code at run time that airlock cannot see`,
    );
  } else if (!found) {
    emit(inv, {
      name: `${inv.program} -c`,
      effect: "execute",
      summary: `${inv.program} runs a one-liner with no destructive calls airlock knows`,
      reversibility: "recoverable",
      blastRadius: "resource",
      envHints: ["local"],
    });
  }
}

const SCRIPT_OPTIONS_WITH_VALUE = new Set([
  "-m",
  "-W",
  "-X",
  "-r",
  "--require",
  "--import",
  "--loader",
  "-I",
]);

function interpreter(inv: Invocation): void {
  const flags = CODE_FLAGS[inv.program] ?? [];
  const at = inv.argv.findIndex(
    (a) => flags.includes(a) || (inv.program === "python" && /^-[A-Za-z]*c$/.test(a)),
  );
  if (at >= 0) {
    const code = inv.args[at + 1];
    if (code?.known) analyzeCode(inv, code.value);
    else
      emitOpaque(inv, `${inv.program} -c (opaque)`, `${inv.program} runs code only known when the line runs`);
    return;
  }
  const p = parseArgs(inv.args, SCRIPT_OPTIONS_WITH_VALUE);
  const script = p.operands[0];
  // `python manage.py flush`: Django's management commands are migrations and data tools.
  if (script?.known && /(^|\/)manage\.py$/.test(script.value)) {
    migration(
      inv,
      "manage.py",
      p.operands.slice(1).map((w) => w.value),
    );
    return;
  }
  if (p.values.has("-m") || !script) {
    emit(inv, {
      name: inv.program,
      effect: "execute",
      summary: `${inv.program} ${inv.argv.slice(0, 3).join(" ")}`,
      reversibility: "recoverable",
      blastRadius: "service",
      envHints: ["local"],
    });
  } else runScript(inv, script);
}

/** awk: `system("…")` and `print | "sh"` run shell lines. */
function awk(inv: Invocation): void {
  const program = parseArgs(inv.args, new Set(["-F", "-v", "-f"])).operands[0];
  if (program && /system\s*\(|\|\s*"(sh|bash)/.test(program.value)) analyzeCode(inv, program.value);
  else emit(inv, { name: inv.program, effect: "read", summary: `${inv.program} processes text` });
}

export const INTERPRETERS: Record<string, Handler> = {
  python: interpreter,
  node: interpreter,
  perl: interpreter,
  ruby: interpreter,
  php: interpreter,
  pwsh: interpreter,
  powershell: interpreter,
  "powershell.exe": interpreter,
  deno: interpreter,
  bun: interpreter,
  awk,
  gawk: awk,
  mawk: awk,
};
