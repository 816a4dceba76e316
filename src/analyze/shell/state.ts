import { posix } from "node:path";
import { withoutTrailing } from "../../action/text.js";
import type { SyntaxNode } from "./parse.js";

/**
 * What we know along a command line: where relative paths point and which variables have
 * which values. `cwd` is absolute when known, a path relative to the starting directory
 * (".", "../x") when only that is known, or null after `cd $SOMETHING_UNKNOWN`.
 * Variables absent from `vars` are unknown; "" means known to be empty.
 */
export interface ShellState {
  cwd: string | null;
  /** The directory the line started in (the working tree), when the Action told us. */
  workTree: string | null;
  home: string | null;
  vars: Map<string, string>;
  /** Files written earlier on this line (`cat > x.sh <<EOF`), by absolute or relative path. Shared, not forked. */
  files: Map<string, string>;
  /** Shell functions defined on this line, analysed where they are called. Shared, not forked. */
  functions: Map<string, ShellFunction>;
  /** Aliases defined on this line (`alias ll='rm -rf'`), by name. Shared, not forked. */
  aliases: Map<string, string>;
}

export interface ShellFunction {
  body: SyntaxNode;
  /** Called somewhere on the line; a function never called is analysed once on its own. */
  called: boolean;
}

export function initialState(cwd: string | undefined, env: Record<string, string> | undefined): ShellState {
  const vars = new Map<string, string>(Object.entries(env ?? {}));
  const home = vars.get("HOME") ?? null;
  const start = cwd?.startsWith("/") ? withoutTrailingSlash(posix.normalize(cwd)) : ".";
  return {
    cwd: start,
    workTree: start === "." || !isWorkTree(start, home) ? null : start,
    home,
    vars,
    files: new Map(),
    functions: new Map(),
    aliases: new Map(),
  };
}

/**
 * Directories that are never a project's working tree, whatever the agent runs in: the root, a
 * home directory itself (or the directory of homes), and the system's own directories. Started
 * there, nothing is "inside the working tree": `rm -rf /etc` with cwd `/` is still a wipe.
 */
const NOT_A_TREE =
  /^\/(?:home|Users)?$|^\/(?:home|Users)\/[^/]+$|^\/(?:bin|boot|dev|etc|lib|lib32|lib64|libx32|proc|root|run|sbin|sys|usr|var|snap|nix|System|Library|Applications|private|Volumes|mnt|media|opt|srv)$|^\/(?:bin|boot|dev|etc|lib|lib32|lib64|libx32|proc|sbin|sys|run|System|Library|private\/etc|private\/var)\/|^\/usr\/(?!local\/src\/|src\/)|^\/var\/(?:lib|log|spool|cache|mail|backups|run|db)(?:\/|$)/i;

export function isWorkTree(dir: string, home: string | null): boolean {
  if (home !== null && withoutTrailingSlash(posix.normalize(home)) === dir) return false;
  return !NOT_A_TREE.test(dir);
}

export function forkState(state: ShellState): ShellState {
  return { ...state, vars: new Map(state.vars) };
}

/** Resolve a (possibly relative) path against the state's cwd; null when it cannot be known. */
export function resolvePath(state: ShellState, path: string): string | null {
  let p = path;
  if ((p === "~" || p.startsWith("~/")) && !state.home) return underUnknownHome(p);
  if (p === "~" || p.startsWith("~/")) p = (state.home as string) + p.slice(1);
  if (p.startsWith("/") || p.startsWith("~")) return posix.normalize(p);
  if (state.cwd === null) return null;
  return posix.normalize(posix.join(state.cwd, p));
}

/** Where an unknown home sits, so that `~/..` climbs out of it: `~/../dev` is another home. */
const UNKNOWN_HOME = "/home/~";

function underUnknownHome(path: string): string {
  const abs = posix.normalize(UNKNOWN_HOME + path.slice(1));
  if (abs === UNKNOWN_HOME || abs.startsWith(`${UNKNOWN_HOME}/`)) return `~${abs.slice(UNKNOWN_HOME.length)}`;
  return abs;
}

/** `cd` (and pushd): an unknown target makes the cwd unknown. */
export function changeDirectory(state: ShellState, target: string | null): void {
  if (target === null || target === "-") {
    state.cwd = null;
    return;
  }
  state.cwd = resolvePath(state, target);
}

export function lookupVariable(state: ShellState, name: string): string | undefined {
  if (name === "PWD") return state.cwd ?? undefined;
  if (name === "HOME") return state.home ?? "~";
  return state.vars.get(name);
}

/** A normalised path without its trailing slashes, `/` itself kept. */
function withoutTrailingSlash(path: string): string {
  return path === "/" ? path : withoutTrailing(path, "/") || "/";
}
