import { parseArgs } from "./args.js";
import { hasReader, type Language, runCode } from "./code.js";
import { codeSource } from "./code-source.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths, writePaths } from "./filesystem.js";
import { migration } from "./migrations.js";
import { runScript } from "./shells.js";
import { resolvePath } from "./state.js";
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
  `(?:rmtree|os\\.remove|os\\.unlink|os\\.rmdir|removedirs|rmSync|rmdirSync|unlinkSync|fs\\.rm|fs\\.promises\\.rm|rimraf(?:\\.sync)?|removeSync|rm_rf|rm_r|FileUtils\\.rm\\w*|File\\.delete|unlink|rmdir|remove_tree|Remove-Item|\\.unlink|\\.rmdir)\\s*\\(?\\s*(?:Path\\()?\\s*(?:${STRING}|([\\w.$]+))`,
  "g",
);
/** Calls that hand a shell line to /bin/sh. */
const SHELLS = new RegExp(
  `(?:os\\.system|os\\.popen|subprocess\\.\\w+|execSync|exec|spawnSync|spawn|system|shell_exec|passthru|popen|Invoke-Expression|iex|\`)\\s*\\(?\\s*${STRING}`,
  "g",
);
const LIST_CALL = /subprocess\.\w+\(\s*\[([^\]]*)\]/g;
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

/** Which grammar reads each interpreter's code, and how its command line spells the code. */
const LANGUAGES: Record<string, { language: Language; spelling: string }> = {
  python: { language: "python", spelling: "python" },
  node: { language: "javascript", spelling: "node" },
  bun: { language: "javascript", spelling: "bun" },
  ruby: { language: "ruby", spelling: "ruby" },
  perl: { language: "perl", spelling: "perl" },
  php: { language: "php", spelling: "php" },
};

function analyze(inv: Invocation, language: Language, code: string): void {
  if (hasReader(language)) runCode(inv, language, code);
  else analyzeCode(inv, code);
}

/** `perl -pi -e …`, `ruby -i.bak -pe …`: the files named are edited in place. */
function inPlaceEdits(inv: Invocation, operands: Word[]): void {
  if (!inv.argv.some((a) => /^-[a-zA-Z]*i/.test(a) && !a.startsWith("--"))) return;
  if (operands.length > 0) writePaths(inv, `${inv.program} -i`, operands);
}

function interpreter(inv: Invocation): void {
  const known = LANGUAGES[inv.program];
  if (!known) {
    legacyInterpreter(inv);
    return;
  }
  const source = codeSource(inv, known.spelling);
  switch (source.kind) {
    case "inline":
      if (inv.program === "perl" || inv.program === "ruby") inPlaceEdits(inv, source.operands);
      if (source.code.known) analyze(inv, known.language, source.code.value);
      else
        emitOpaque(
          inv,
          `${inv.program} -c (opaque)`,
          `${inv.program} runs code only known when the line runs`,
        );
      return;
    case "stdin":
      if (source.text !== undefined) analyze(inv, known.language, source.text);
      else unseenStdin(inv);
      return;
    case "script":
      if (source.written !== undefined) analyze(inv, known.language, source.written);
      else if (source.path.known && /(^|\/)manage\.py$/.test(source.path.value)) {
        const at = inv.args.indexOf(source.path);
        migration(inv, "manage.py", inv.argv.slice(at + 1));
      } else runScript(inv, source.path);
      return;
    case "none":
      emit(inv, {
        name: inv.program,
        effect: "execute",
        summary: `${inv.program} ${inv.argv.slice(0, 3).join(" ")}`,
        reversibility: "recoverable",
        blastRadius: "service",
        envHints: ["local"],
      });
  }
}

/** Code piped in from a command whose output airlock cannot know (`curl … | python3`). */
function unseenStdin(inv: Invocation): void {
  const source = inv.stdin.kind === "pipe" ? (inv.stdin.source[0]?.value ?? "") : "";
  const downloaded = /^(curl|wget|fetch|http|iwr|irm)$/.test(source);
  emitOpaque(
    inv,
    `${inv.program} stdin (opaque)`,
    downloaded
      ? `${inv.program}: downloads code and runs it unseen`
      : `${inv.program}: runs code from standard input that is only known when the line runs`,
    { tags: downloaded ? ["remote-code"] : [] },
  );
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

/** PowerShell and deno, read with patterns until their own readers take over. */
function legacyInterpreter(inv: Invocation): void {
  const flags = CODE_FLAGS[inv.program] ?? [];
  const at = inv.argv.findIndex((a) => flags.includes(a));
  if (at >= 0) {
    const code = inv.args[at + 1];
    if (code?.known) analyzeCode(inv, code.value);
    else
      emitOpaque(inv, `${inv.program} -c (opaque)`, `${inv.program} runs code only known when the line runs`);
    return;
  }
  const p = parseArgs(inv.args, SCRIPT_OPTIONS_WITH_VALUE);
  const script = p.operands[0];
  if (!script) {
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

/** awk: the program is the first operand, `-f FILE` (written earlier on the line) or gawk's `-e`/`--source`. */
function awk(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-F", "-v", "-f", "-e", "--source", "-i", "--include"]));
  const file = p.values.get("-f");
  const inline = p.values.get("-e") ?? p.values.get("--source");
  let program: string | undefined;
  if (file !== undefined) {
    const resolved = resolvePath(inv.state, file);
    program = resolved ? inv.state.files.get(resolved) : undefined;
    if (program === undefined) {
      runScript(inv, literalWord(file));
      return;
    }
  } else program = inline ?? (p.operands[0]?.known ? p.operands[0].value : undefined);
  if (program === undefined) {
    emitOpaque(inv, `${inv.program} (opaque)`, `${inv.program} runs a program only known when the line runs`);
    return;
  }
  runCode(inv, "awk", program);
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
