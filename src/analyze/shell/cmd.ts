import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths } from "./filesystem.js";
import { changeDirectory } from "./state.js";
import { posixOf, windowsNamer } from "./windows-paths.js";
import { literalWord } from "./words.js";

/**
 * cmd.exe: `cmd /c "del /s /q C:\data"` and lines an agent's cmd tool runs (Action `shell: "cmd"`).
 * The line is split at `&`, `&&`, `||` and `|` outside quotes (`^` escapes); `%VAR%` stays as written
 * so paths can name `%USERPROFILE%`; `del`, `rd` and `format` are judged here, everything else by the
 * shell rules (`git push --force` is the same in cmd).
 */

/** Commands and words of a cmd line; undefined when a quote is left open. */
export function splitCmd(line: string): string[][] | undefined {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let quoted = false;
  let started = false;
  const endWord = () => {
    if (started) words.push(word);
    word = "";
    started = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "^" && !quoted && i + 1 < line.length) {
      word += line[++i];
      started = true;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(c)) endWord();
    else if (!quoted && (c === "&" || c === "|")) {
      endWord();
      if (line[i + 1] === c) i++;
      if (words.length > 0) commands.push(words);
      words = [];
    } else {
      word += c;
      started = true;
    }
  }
  if (quoted) return undefined;
  endWord();
  if (words.length > 0) commands.push(words);
  return commands;
}

export function runCmd(inv: Invocation, line: string): void {
  const commands = splitCmd(line);
  if (!commands) {
    emitOpaque(inv, "cmd (unparsed)", `cmd line with an unclosed quote: ${line.slice(0, 60)}`);
    return;
  }
  for (const words of commands) cmdCommand(inv, words);
}

function cmdCommand(inv: Invocation, words: string[]): void {
  const [first = "", ...rest] = words;
  // `@echo off`, `C:\Windows\System32\cmd.exe`: the program's own name.
  const name = first
    .replace(/^@/, "")
    .replace(/^.*[\\/]/, "")
    .replace(/\.(exe|com)$/i, "")
    .toLowerCase();
  const switches = rest.filter((w) => /^\/[a-z]/i.test(w)).map((w) => w.toLowerCase());
  const operands = rest.filter((w) => !/^\/[a-z]/i.test(w));
  const from = inv.session.operations.length;
  const namer = windowsNamer();
  switch (name) {
    case "del":
    case "erase":
      destroyPaths(inv, name, operands.map(namer.word), {
        recursive: switches.includes("/s"),
        verb: "deletes",
      });
      break;
    case "rd":
    case "rmdir":
      destroyPaths(inv, name, operands.map(namer.word), {
        recursive: switches.includes("/s"),
        verb: "deletes",
      });
      break;
    case "format":
      emit(inv, {
        name: "format",
        effect: "delete",
        summary: `format ${operands.join(" ")}: erases the volume`,
        reversibility: "irreversible",
        blastRadius: "host",
        targets: operands.map((o) => ({ type: "volume", name: o })),
        tags: ["wipe", "data-loss"],
      });
      break;
    case "cd":
    case "chdir":
    case "pushd": {
      const target = operands.join(" ");
      changeDirectory(inv.state, target === "" ? inv.state.cwd : (posixOf(target) ?? null));
      break;
    }
    case "echo":
    case "rem":
    case "set":
    case "dir":
    case "type":
    case "where":
    case "ver":
    case "cls":
    case "title":
      emit(inv, { name, effect: "read", summary: `${name} only reads`, envHints: ["local"] });
      break;
    default:
      inv.dispatch([literalWord(first), ...rest.map(literalWord)], { kind: "none" });
  }
  namer.rename(inv, from);
}

/** `cmd /c LINE`, `cmd /k LINE`: everything after the switch is the line (one layer of quotes taken off). */
const cmdExe: Handler = (inv) => {
  const at = inv.argv.findIndex((a) => /^\/[ck]$/i.test(a));
  if (at < 0) {
    emitOpaque(inv, "cmd shell", "an interactive cmd, whose commands airlock will not see", {
      reversibility: "recoverable",
      blastRadius: "service",
    });
    return;
  }
  const rest = inv.args.slice(at + 1);
  if (rest.some((w) => !w.known)) {
    emitOpaque(inv, "cmd /c (opaque)", "cmd runs a line only known when it runs");
    return;
  }
  const line = rest.map((w) => w.value).join(" ");
  runCmd(inv, /^".*"$/s.test(line) ? line.slice(1, -1) : line);
};

export const CMD: Record<string, Handler> = { cmd: cmdExe };
