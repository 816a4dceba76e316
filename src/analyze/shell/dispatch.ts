import { posix } from "node:path";
import { shellLine } from "./args.js";
import { emit, emitOpaque, type Invocation, type Scope, type Stdin } from "./context.js";
import { followSecrets } from "./exfiltration.js";
import { FAMILIES } from "./families.js";
import { environmentWords, specForVerdict, verdictOf } from "./leading-words.js";
import { parseBash } from "./parse.js";
import { guardSelf } from "./self.js";
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

function unknownCommand(inv: Invocation, word: Word): void {
  const path = word.value;
  const written = path.includes("/") ? resolvePath(inv.state, path) : null;
  const script = written ? inv.state.files.get(written) : undefined;
  if (script !== undefined) {
    inv.reparse(script);
    return;
  }
  if (inv.state.functions.has(path) || inv.state.functions.has(word.value)) return;
  // A wrapper airlock does not know (`mywrap rm -rf /`): its first word that is not an option is a
  // command airlock knows, so that command runs too.
  const wrapped = wrappedCommand(inv.args);
  if (wrapped) inv.stdout = inv.dispatch(wrapped);
  // Only ordinary work is local: a destructive verb acts wherever the tool points, not in the checkout.
  const { local, ...spec } = specForVerdict(verdictOf(inv.argv), path, `runs ${path}`, true);
  emit(inv, {
    name: "unknown command",
    ...spec,
    targets: [{ type: "command", name: path }],
    envHints: [...(local ? ["local"] : []), ...environmentWords(inv)],
  });
}

/** Tools whose `--help`/`-help`/`-h` anywhere before `--` (and pulumi's `--preview-only`) changes nothing. */
const HELP_AWARE = new Set(
  "terraform tofu terragrunt pulumi kubectl oc helm cdk docker podman gh glab gcloud az eksctl flyctl fly heroku vercel netlify wrangler".split(
    " ",
  ),
);
const HELP_FLAGS = new Set(["--help", "-help", "-h", "--preview-only"]);

/** Where `-h` is a host, not help: `gh auth refresh -h github.com -s delete_repo`. */
const H_IS_HOST: Readonly<Record<string, string>> = { gh: "auth" };

function asksForHelp(program: string, argv: string[]): boolean {
  const end = argv.indexOf("--");
  const hostArea = H_IS_HOST[program];
  return (end < 0 ? argv : argv.slice(0, end)).some(
    (a) => HELP_FLAGS.has(a) && !(a === "-h" && hostArea !== undefined && argv.includes(hostArea)),
  );
}

/** Program names that are also a tool's verbs (`mytool reset`, `kn service delete`): not wrapped commands. */
const VERB_LIKE = new Set(
  "reset service help info test time kill stop start status watch script exec".split(" "),
);

/** The words from an unknown command's first non-option word on, when that word names a known program. */
function wrappedCommand(args: Word[]): Word[] | undefined {
  for (let i = 0; i < args.length && i < 6; i++) {
    const a = args[i] as Word;
    if (!a.known) return undefined;
    if (a.value === "--" || a.value.startsWith("-") || /^[0-9][0-9.:]*[a-z]?$/.test(a.value)) continue;
    const known = FAMILIES.has(programName(a.value)) && !VERB_LIKE.has(a.value) && !a.value.includes("/");
    return known ? args.slice(i) : undefined;
  }
  return undefined;
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
  const firstOp = w.session.operations.length;
  if (HELP_AWARE.has(program) && asksForHelp(program, inv.argv))
    emit(inv, {
      name: `${program} --help`,
      effect: "read",
      summary: `${program} prints usage or a preview only`,
    });
  else if (handler) handler(inv);
  else unknownCommand(inv, first);
  guardSelf(inv, firstOp);
  // Whatever a command prints can feed the next stage of a pipeline (`… | xargs rm`, `… | sh`).
  return followSecrets(inv, words, input.stdin, inv.stdout ?? { kind: "pipe", source: words });
}
