import { posix } from "node:path";
import { environmentOfName } from "../environment.js";
import { shellLine } from "./args.js";
import { emit, emitOpaque, type Invocation, type Scope, type Stdin } from "./context.js";
import { FAMILIES } from "./families.js";
import { parseBash } from "./parse.js";
import { forkState, resolvePath, type ShellState } from "./state.js";
import { callFunction, limitReached, MAX_NESTING, type Walk, walkLine } from "./walk.js";
import type { Word } from "./words.js";

/** A tool family's rules for one program: records operations, and sets `inv.stdout` when it can. */
export type Handler = (inv: Invocation) => void;

/** Commands nested by re-parsing (sh -c, ssh host CMD) above 128 KiB are refused unread. */
export const MAX_INPUT_BYTES = 128 * 1024;

/** Work units one analysed command costs, against the Action's budget (see index.ts). */
const COMMAND_WORK = 10;

const VERSIONED = /^(python|pip|node|perl|ruby|php|psql|mysql|bash|sh|zsh|terraform)[0-9.]*$/;

export function programName(path: string): string {
  // Case-insensitive file systems (macOS) run `RM` as rm.
  // Windows spellings run the same tools: `git.exe`, `C:\Program Files\Git\bin\git.exe`, `\rm.exe`.
  const base = posix
    .basename(path.replace(/\\/g, "/"))
    .toLowerCase()
    .replace(/\.exe$/, "");
  const m = VERSIONED.exec(base);
  if (m?.[1]) return m[1];
  if (base.startsWith("mkfs.")) return "mkfs";
  return base;
}

interface DispatchInput {
  env: Map<string, string>;
  stdin: Stdin;
  walk: Walk;
}

function reparseIn(w: Walk, source: string, scope: Scope, state: ShellState): void {
  if (scope.depth > MAX_NESTING || w.nesting + 1 > MAX_NESTING) {
    limitReached(w.session, scope, `nested shell deeper than ${MAX_NESTING} levels`);
    return;
  }
  if (source.length > MAX_INPUT_BYTES) {
    limitReached(w.session, scope, "nested command longer than 128 KiB");
    return;
  }
  const parsed = parseBash(source);
  if (!parsed.ok) {
    limitReached(w.session, scope, `nested command could not be parsed (${parsed.reason})`);
    return;
  }
  w.session.work -= parsed.nodes;
  walkLine(parsed, source, { state, scope, session: w.session, nesting: w.nesting + 1 });
}

/** Words an unknown command was given that name an environment (`./deploy.sh production`). */
function environmentWords(argv: string[]): string[] {
  return argv.filter((a) => a.length < 64 && environmentOfName(a) !== undefined);
}

function unknownCommand(inv: Invocation, word: Word): void {
  const path = word.value;
  const written = path.includes("/") ? resolvePath(inv.state, path) : null;
  const script = written ? inv.state.files.get(written) : undefined;
  if (script !== undefined) {
    inv.reparse(script);
    return;
  }
  if (inv.state.functions.has(path) || inv.state.functions.has(word.value)) return;
  emit(inv, {
    name: "unknown command",
    effect: "execute",
    summary: `runs ${path}, a command airlock has no rules for`,
    reversibility: "recoverable",
    blastRadius: "service",
    targets: [{ type: "command", name: path }],
    envHints: ["local", ...environmentWords(inv.argv)],
  });
}

export function dispatchWords(words: Word[], input: DispatchInput): Stdin | undefined {
  const [first, ...args] = words;
  if (!first) return undefined;
  const w = input.walk;
  // A name only known when the line runs, or one the shell finds by globbing (`/???/r? -rf /`).
  if (!first.known || first.value === "" || first.glob) {
    emitOpaque(
      w,
      "computed command",
      `the command name ${first.value || "(empty)"} is only known when the line runs`,
    );
    return undefined;
  }
  // Analysing a command costs more than visiting a node: rules run, operations are recorded.
  w.session.work -= COMMAND_WORK;
  const aliased = w.state.aliases.get(first.value);
  if (aliased !== undefined) {
    // The alias is not expanded again inside its own text (`alias ls='ls -la'`).
    const state = forkState(w.state);
    state.aliases = new Map(state.aliases);
    state.aliases.delete(first.value);
    reparseIn(w, `${aliased} ${shellLine(args)}`, { ...w.scope, depth: w.scope.depth + 1 }, state);
    return undefined;
  }
  // A function defined on the line runs its body (and, to be safe, a command of that name is analysed too).
  const isFunction = w.state.functions.has(first.value);
  if (isFunction) callFunction(w, first.value, args);
  const program = programName(first.value);
  const inv: Invocation = {
    program,
    args,
    argv: args.map((a) => a.value),
    env: input.env,
    stdin: input.stdin,
    state: w.state,
    scope: w.scope,
    session: w.session,
    reparse: (source, scope, state) =>
      reparseIn(w, source, scope ?? { ...w.scope, depth: w.scope.depth + 1 }, state ?? forkState(w.state)),
    knows: (name) => FAMILIES.has(programName(name)),
    dispatch: (inner, stdin) =>
      dispatchWords(inner, { env: input.env, stdin: stdin ?? input.stdin, walk: w }),
  };
  const handler = FAMILIES.get(program);
  if (handler) handler(inv);
  else unknownCommand(inv, first);
  // Whatever a command prints can feed the next stage of a pipeline (`… | xargs rm`, `… | sh`).
  return inv.stdout ?? { kind: "pipe", source: words };
}
