import { parseArgs } from "./args.js";
import { type Language, runCode } from "./code.js";
import { codeSource } from "./code-source.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { writePaths } from "./filesystem.js";
import { migration } from "./migrations.js";
import { packageManager } from "./packages.js";
import { POWERSHELL } from "./powershell.js";
import { runScript } from "./shells.js";
import { resolvePath } from "./state.js";
import { literalWord, type Word } from "./words.js";

/** Which grammar reads each interpreter's code, and how its command line spells the code. */
const LANGUAGES: Record<string, { language: Language; spelling: string }> = {
  python: { language: "python", spelling: "python" },
  node: { language: "javascript", spelling: "node" },
  bun: { language: "javascript", spelling: "bun" },
  // zx runs JavaScript with `$\`…\`` for shell lines, from a file or standard input.
  zx: { language: "javascript", spelling: "node" },
  ruby: { language: "ruby", spelling: "ruby" },
  perl: { language: "perl", spelling: "perl" },
  php: { language: "php", spelling: "php" },
};

function analyze(inv: Invocation, language: Language, code: string): void {
  runCode(inv, language, code);
}

/** `perl -pi -e …`, `ruby -i.bak -pe …`: the files named are edited in place. */
function inPlaceEdits(inv: Invocation, operands: Word[]): void {
  if (!inv.argv.some((a) => /^-[a-zA-Z]*i/.test(a) && !a.startsWith("--"))) return;
  if (operands.length > 0) writePaths(inv, `${inv.program} -i`, operands);
}

function interpreter(inv: Invocation): void {
  const known = LANGUAGES[inv.program] as { language: Language; spelling: string };
  const source = codeSource(inv, known.spelling);
  switch (source.kind) {
    case "inline":
      if (inv.program === "perl" || inv.program === "ruby") inPlaceEdits(inv, source.operands);
      if (source.code.known)
        runCode(
          inv,
          known.language,
          source.code.value,
          0,
          source.operands.map((w) => (w.known ? w.value : undefined)),
        );
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
      else if (source.path.known && /(^|\/)(manage\.py|artisan)$/.test(source.path.value)) {
        const at = inv.args.indexOf(source.path);
        const tool = source.path.value.endsWith("artisan") ? "artisan" : "manage.py";
        migration(inv, tool, inv.argv.slice(at + 1));
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

/** `deno eval CODE`, `deno run file.ts`, `deno task …`. */
function deno(inv: Invocation): void {
  const [sub, ...rest] = inv.args;
  if (sub?.value === "eval") {
    const code = rest.find((w) => !w.value.startsWith("-"));
    if (code?.known) runCode(inv, "javascript", code.value);
    else emitOpaque(inv, "deno eval (opaque)", "deno runs code only known when the line runs");
    return;
  }
  const script = sub?.value === "run" ? rest.find((w) => !w.value.startsWith("-")) : undefined;
  if (script) {
    const resolved = script.known ? resolvePath(inv.state, script.value) : null;
    const written = resolved ? inv.state.files.get(resolved) : undefined;
    if (written !== undefined) runCode(inv, "javascript", written);
    else runScript(inv, script);
    return;
  }
  emit(inv, {
    name: "deno",
    effect: "execute",
    summary: `deno ${inv.argv.slice(0, 3).join(" ")}`,
    reversibility: "recoverable",
    blastRadius: "service",
    envHints: ["local"],
  });
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
  ...POWERSHELL,
  deno,
  // `bun -e CODE` is JavaScript; `bun install`, `bun run x` are the package manager.
  bun: (inv) =>
    inv.argv.some((a) => /^(-e|-p|--eval|--print)(=|$)/.test(a)) ? interpreter(inv) : packageManager(inv),
  zx: interpreter,
  awk,
  gawk: awk,
  mawk: awk,
};
