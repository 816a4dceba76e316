import { posix } from "node:path";
import { environmentOfName } from "../environment.js";
import { emit, emitOpaque, type Invocation, type Scope, type Stdin } from "./context.js";
import { FAMILIES } from "./families.js";
import { parseBash } from "./parse.js";
import { forkState, resolvePath, type ShellState } from "./state.js";
import { limitReached, MAX_NESTING, type Walk, walkNode } from "./walk.js";
import type { Word } from "./words.js";

/** A tool family's rules for one program: records operations, and sets `inv.stdout` when it can. */
export type Handler = (inv: Invocation) => void;

/** Commands nested by re-parsing (sh -c, ssh host CMD) above 128 KiB are refused unread. */
export const MAX_INPUT_BYTES = 128 * 1024;

const VERSIONED = /^(python|pip|node|perl|ruby|php|psql|mysql|bash|sh|zsh|terraform)[0-9.]*$/;

export function programName(path: string): string {
  // Case-insensitive file systems (macOS) run `RM` as rm.
  const base = posix.basename(path).toLowerCase();
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
  w.session.work -= 20;
  const parsed = parseBash(source);
  if (!parsed.ok) {
    limitReached(w.session, scope, `nested command could not be parsed (${parsed.reason})`);
    return;
  }
  walkNode(parsed.root, { state, scope, session: w.session, nesting: w.nesting + 1 }, { kind: "none" });
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
  if (inv.state.functions.has(path)) return;
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
  if (!first.known || first.value === "") {
    emitOpaque(
      w,
      "computed command",
      `the command name ${first.value || "(empty)"} is only known when the line runs`,
    );
    return undefined;
  }
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
    dispatch: (inner, stdin) =>
      dispatchWords(inner, { env: input.env, stdin: stdin ?? input.stdin, walk: w }),
  };
  const handler = FAMILIES.get(program);
  if (handler) handler(inv);
  else unknownCommand(inv, first);
  // Whatever a command prints can feed the next stage of a pipeline (`… | xargs rm`, `… | sh`).
  return inv.stdout ?? { kind: "pipe", source: words };
}
