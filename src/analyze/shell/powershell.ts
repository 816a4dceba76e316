import { grammarFor, parseCode } from "../code/grammars.js";
import { type PsStatic, readPowerShell } from "../code/powershell.js";
import { joinContinuedLists, quoteBareLists } from "../code/powershell-lists.js";
import { emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths } from "./filesystem.js";
import { cmdlet } from "./powershell-cmdlets.js";
import { runScript } from "./shells.js";
import { limitReached } from "./walk.js";
import { windowsNamer } from "./windows-paths.js";
import { literalWord } from "./words.js";

/**
 * PowerShell: `pwsh -Command …`, `powershell -EncodedCommand …` (UTF-16LE base64, decoded and read),
 * `pwsh -File x.ps1`, and lines an agent's PowerShell tool runs (Action `shell: "powershell"`).
 * The code is parsed with tree-sitter-powershell; each command it runs is judged by its cmdlet's
 * rules (powershell-cmdlets.ts) or, for native programs (`git.exe`, `aws`), by the shell rules.
 */

const MAX_DEPTH = 8;

export function runPowerShell(inv: Invocation, source: string, depth = 0): void {
  if (depth > MAX_DEPTH || source.length > 128 * 1024) {
    limitReached(inv.session, inv.scope, "PowerShell code too large or nested too deep");
    return;
  }
  const grammar = grammarFor("powershell");
  if (!grammar.ok) {
    inv.session.wantedGrammars.push("powershell");
    emitOpaque(inv, "powershell (unanalysed)", `${inv.program} runs PowerShell: ${grammar.reason}`);
    return;
  }
  // `Remove-Item a,b` is an array to PowerShell; read it as one (powershell-lists.ts).
  const joined = joinContinuedLists(source);
  let parsed = parseCode(grammar.grammar, joined);
  const listed = parsed.ok ? quoteBareLists(parsed.root, joined) : joined;
  if (listed !== joined) parsed = parseCode(grammar.grammar, listed);
  if (!parsed.ok) {
    limitReached(
      inv.session,
      inv.scope,
      `PowerShell code could not be parsed within limits (${parsed.reason})`,
    );
    return;
  }
  // The code's own reader has its budget; the line pays a share of the nodes.
  inv.session.work -= Math.ceil(parsed.nodes / 20);
  const script = readPowerShell(parsed.root);
  for (const command of script.commands) cmdlet(inv, command, (text) => runPowerShell(inv, text, depth + 1));
  for (const call of script.statics) dotnet(inv, call);
  if (parsed.hasError || script.errors.length > 0)
    emitOpaque(
      inv,
      "powershell (unparsed)",
      `part of the PowerShell could not be read: ${script.errors[0] ?? source.slice(0, 60)}`,
    );
}

/** .NET calls that delete or start processes: `[IO.Directory]::Delete("C:\x", $true)`, `[Diagnostics.Process]::Start(…)`. */
function dotnet(inv: Invocation, call: PsStatic): void {
  const type = call.type.replace(/^(System\.)?(IO\.|Diagnostics\.)?/i, "").toLowerCase();
  const method = call.method.toLowerCase();
  const from = inv.session.operations.length;
  if ((type === "directory" || type === "file") && method === "delete") {
    const recursive = type === "directory" && call.args[1]?.text?.toLowerCase() === "$true";
    const namer = windowsNamer();
    destroyPaths(inv, `[${call.type}]::Delete`, [namer.word(call.args[0]?.text)], {
      recursive,
      verb: "deletes",
    });
    namer.rename(inv, from);
  } else if (type === "process" && method === "start") {
    const program = call.args[0]?.text;
    const args = call.args[1]?.text;
    if (program === undefined || (call.args[1] && args === undefined))
      emitOpaque(
        inv,
        "powershell (opaque)",
        `${call.text.slice(0, 60)}: starts a program only known at run time`,
      );
    else
      inv.dispatch([
        literalWord(program),
        ...(args ? args.split(/\s+/).filter(Boolean).map(literalWord) : []),
      ]);
  } else if (type === "scriptblock" && method === "create") {
    const code = call.args[0]?.text;
    if (code === undefined)
      emitOpaque(inv, "powershell (opaque)", `${call.text.slice(0, 60)}: builds code at run time`);
    else runPowerShell(inv, code, 1);
  }
}

/** PowerShell's parameters match by any unambiguous prefix: `-enc`, `-ec`, `-EncodedCommand`. */
function isParam(word: string, full: string, shortest = 1): boolean {
  const w = word.toLowerCase().replace(/^[-/]+/, "");
  return w.length >= shortest && full.toLowerCase().startsWith(w);
}

/** `pwsh`/`powershell` command lines. */
const powershellExe: Handler = (inv) => {
  const argv = inv.argv;
  const valued = [
    "executionpolicy",
    "windowstyle",
    "inputformat",
    "outputformat",
    "workingdirectory",
    "configurationname",
    "settingsfile",
    "custompipename",
    "version",
    "psconsolefile",
  ];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!/^[-/]/.test(a)) {
      // A first bare word: a script for pwsh, a command for Windows PowerShell.
      if (inv.program === "pwsh" && /\.ps1$/i.test(a)) runScript(inv, inv.args[i] ?? literalWord(a));
      else commandText(inv, i);
      return;
    }
    if (a === "-") return commandText(inv, -1);
    if (isParam(a, "encodedcommand") || a.toLowerCase() === "-ec" || a.toLowerCase() === "-e") {
      const value = inv.args[i + 1];
      if (!value?.known) {
        emitOpaque(
          inv,
          "powershell -EncodedCommand (opaque)",
          `${inv.program}: runs encoded code only known when the line runs`,
        );
        return;
      }
      const decoded = Buffer.from(value.value, "base64").toString("utf16le");
      runPowerShell(inv, decoded);
      return;
    }
    if (isParam(a, "command")) return commandText(inv, i + 1);
    if (isParam(a, "file", 1) && a.length > 1) {
      const file = inv.args[i + 1];
      if (file) runScript(inv, file);
      return;
    }
    if (valued.some((v) => isParam(a, v, 2))) i++;
  }
  emitOpaque(
    inv,
    `${inv.program} shell`,
    `an interactive ${inv.program}, whose commands airlock will not see`,
    {
      reversibility: "recoverable",
      blastRadius: "service",
    },
  );
};

/** The rest of the line is the command (PowerShell joins the remaining words with spaces); `-` is stdin. */
function commandText(inv: Invocation, from: number): void {
  const words = from < 0 ? [] : inv.args.slice(from);
  if (from < 0 || (words.length === 1 && words[0]?.value === "-")) {
    const stdin = inv.stdin;
    if (stdin.kind === "text" && stdin.known) runPowerShell(inv, stdin.text);
    else
      emitOpaque(
        inv,
        "powershell stdin (opaque)",
        `${inv.program} runs commands from standard input airlock cannot see`,
      );
    return;
  }
  if (words.some((w) => !w.known)) {
    emitOpaque(
      inv,
      `${inv.program} -Command (opaque)`,
      `${inv.program} runs code only known when the line runs`,
    );
    return;
  }
  runPowerShell(inv, words.map((w) => w.value).join(" "));
}

export const POWERSHELL: Record<string, Handler> = {
  pwsh: powershellExe,
  powershell: powershellExe,
  powershell_ise: powershellExe,
};
