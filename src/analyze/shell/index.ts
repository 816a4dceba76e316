import type { ShellAction } from "../../action/schema.js";
import { loadGrammars } from "../code/grammars.js";
import { prepareFor } from "../registry.js";
import type { Analysis } from "../types.js";
import { emitOpaque, type Session } from "./context.js";
import { dispatchWords, MAX_INPUT_BYTES } from "./dispatch.js";
import { loadParser, parseBash, parserReady } from "./parse.js";
import { initialState } from "./state.js";
import { limitReached, walkLine, walkUncalledFunctions } from "./walk.js";
import { posixOf } from "./windows-paths.js";
import { literalWord } from "./words.js";

/**
 * Work per Action before failing closed, counted (never timed, so the answer does not depend on
 * how busy the machine is): one unit per syntax node parsed, nested lines included, or visited,
 * and ten per command analysed. A line that needs more is refused after a few milliseconds.
 */
const WORK_BUDGET = 10_000;

/** Loop bodies analysed once per known item, per Action: nested loops multiply, this does not. */
const LOOP_PASSES = 64;

/** Load the Bash grammar and the analyzers shell lines delegate to. Await once before analyzeShell. */
/** Load the shell grammar. The analyzers a line delegates to load when a line first needs them. */
export async function loadShell(): Promise<void> {
  await loadParser();
}

/**
 * Analyse a line, loading the analyzers it delegates to (SQL, AWS, Kubernetes, HTTP) when it is the
 * first to need them, and analysing it again with them. Otherwise the same as analyzeShell.
 */
export async function analyzeShellLoading(action: ShellAction): Promise<Analysis> {
  let run = analyzeShellSession(action);
  // Interpreter code may want a grammar, and the code read with it an analyzer: at most two rounds.
  for (let round = 0; round < 2; round++) {
    if (run.wantedGrammars.length === 0 && run.wanted.length === 0) break;
    try {
      await Promise.all([loadGrammars(run.wantedGrammars), prepareFor(run.wanted)]);
    } catch {
      // Left unloaded: those parts stay opaque, never safe (tried again by the next line).
      break;
    }
    run = analyzeShellSession(action);
  }
  return run.analysis;
}

/** What a shell command line would do: every command it runs, however wrapped or nested. */
export function analyzeShell(action: ShellAction): Analysis {
  return analyzeShellSession(action).analysis;
}

type ShellRun = { analysis: Analysis } & Pick<Session, "wanted" | "wantedGrammars">;

function analyzeShellSession(action: ShellAction): ShellRun {
  if (!parserReady()) throw new Error("analyzeShell called before loadShell() finished");
  const session: Session = {
    operations: [],
    notes: [],
    envHints: [],
    status: "complete",
    work: WORK_BUDGET,
    loopPasses: LOOP_PASSES,
    wanted: [],
    wantedGrammars: [],
  };
  const scope = { depth: 0, remote: null };
  const command = typeof action.command === "string" ? action.command : "";
  try {
    if (Buffer.byteLength(command, "utf8") > MAX_INPUT_BYTES) {
      limitReached(session, scope, "command line longer than 128 KiB");
      return { analysis: finish(session), wanted: session.wanted, wantedGrammars: session.wantedGrammars };
    }
    const foreign = foreignShell(action, command);
    if (foreign) {
      const state = initialState(windowsCwd(action.cwd), action.env);
      dispatchWords(foreign.map(literalWord), {
        env: new Map(),
        stdin: { kind: "none" },
        walk: { state, scope, session, nesting: 0 },
      });
      return { analysis: finish(session), wanted: session.wanted, wantedGrammars: session.wantedGrammars };
    }
    const parsed = parseBash(command);
    if (!parsed.ok) {
      limitReached(session, scope, `command line could not be parsed within limits (${parsed.reason})`);
      return { analysis: finish(session), wanted: session.wanted, wantedGrammars: session.wantedGrammars };
    }
    session.work -= parsed.nodes;
    const state = initialState(action.cwd, action.env);
    const walk = { state, scope, session, nesting: 0 };
    walkLine(parsed, command, walk);
    walkUncalledFunctions(walk);
  } catch (error) {
    emitOpaque({ scope, session }, "analysis error", `the shell analyzer failed: ${String(error)}`);
    session.status = session.status === "limited" ? "limited" : "opaque";
  }
  return { analysis: finish(session), wanted: session.wanted, wantedGrammars: session.wantedGrammars };
}

/** A line for PowerShell or cmd.exe (the Action's `shell`) is read as `pwsh -Command LINE` / `cmd /c LINE`. */
function foreignShell(action: ShellAction, command: string): string[] | undefined {
  if (action.shell === "powershell" || action.shell === "pwsh") return ["pwsh", "-Command", command];
  if (action.shell === "cmd") return ["cmd", "/c", command];
  return undefined;
}

/** A Windows working directory (`C:\\Users\\bob\\app`) as the filesystem rules know it. */
function windowsCwd(cwd: string | undefined): string | undefined {
  if (cwd === undefined || cwd.startsWith("/")) return cwd;
  return posixOf(cwd);
}

function finish(session: Session): Analysis {
  const count = session.operations.length;
  const parsed = `parsed with tree-sitter-bash; ${count} operation${count === 1 ? "" : "s"} found in the commands that run`;
  return {
    status: session.status,
    operations: session.operations,
    envHints: session.envHints,
    notes: [parsed, ...session.notes],
  };
}
