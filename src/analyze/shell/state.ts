import { posix } from "node:path";

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
  /** Shell functions defined on this line: their bodies were analysed where defined. */
  functions: Set<string>;
}

export function initialState(cwd: string | undefined, env: Record<string, string> | undefined): ShellState {
  const vars = new Map<string, string>(Object.entries(env ?? {}));
  const home = vars.get("HOME") ?? null;
  const start = cwd?.startsWith("/") ? posix.normalize(cwd) : ".";
  return {
    cwd: start,
    workTree: start === "." ? null : start,
    home,
    vars,
    files: new Map(),
    functions: new Set(),
  };
}

export function forkState(state: ShellState): ShellState {
  return { ...state, vars: new Map(state.vars) };
}

/** Resolve a (possibly relative) path against the state's cwd; null when it cannot be known. */
export function resolvePath(state: ShellState, path: string): string | null {
  let p = path;
  if (p === "~" || p.startsWith("~/")) p = state.home ? state.home + p.slice(1) : p;
  if (p.startsWith("/") || p.startsWith("~")) return posix.normalize(p);
  if (state.cwd === null) return null;
  return posix.normalize(posix.join(state.cwd, p));
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
