import type { ShellAction } from "../../action/schema.js";
import { prepareFor } from "../registry.js";
import type { Analysis } from "../types.js";
import { emitOpaque, type Session } from "./context.js";
import { MAX_INPUT_BYTES } from "./dispatch.js";
import { loadParser, parseBash, parserReady } from "./parse.js";
import { initialState } from "./state.js";
import { limitReached, walkLine, walkUncalledFunctions } from "./walk.js";

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
  const first = analyzeShellSession(action);
  if (first.wanted.length === 0) return first.analysis;
  try {
    await prepareFor(first.wanted);
  } catch {
    // Left unloaded: those delegated parts stay opaque, never safe (tried again by the next line).
    return first.analysis;
  }
  return analyzeShell(action);
}

/** What a shell command line would do: every command it runs, however wrapped or nested. */
export function analyzeShell(action: ShellAction): Analysis {
  return analyzeShellSession(action).analysis;
}

function analyzeShellSession(action: ShellAction): { analysis: Analysis; wanted: Session["wanted"] } {
  if (!parserReady()) throw new Error("analyzeShell called before loadShell() finished");
  const session: Session = {
    operations: [],
    notes: [],
    envHints: [],
    status: "complete",
    work: WORK_BUDGET,
    loopPasses: LOOP_PASSES,
    wanted: [],
  };
  const scope = { depth: 0, remote: null };
  const command = typeof action.command === "string" ? action.command : "";
  try {
    if (Buffer.byteLength(command, "utf8") > MAX_INPUT_BYTES) {
      limitReached(session, scope, "command line longer than 128 KiB");
      return { analysis: finish(session), wanted: session.wanted };
    }
    const parsed = parseBash(command);
    if (!parsed.ok) {
      limitReached(session, scope, `command line could not be parsed within limits (${parsed.reason})`);
      return { analysis: finish(session), wanted: session.wanted };
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
  return { analysis: finish(session), wanted: session.wanted };
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
