import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { protectedPath } from "../../analyze/protected-paths.js";

/**
 * Where a file-writing tool may write without asking: inside the project the agent works in. Paths
 * are compared after resolving symbolic links, so a link inside the project that points out of it
 * counts as outside.
 */

/** The real path of `path`, resolving links in the part of it that exists. */
export function realPath(path: string): string {
  const rest: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(current), ...rest.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return resolve(path);
      rest.push(basename(current));
      current = parent;
    }
  }
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(realPath(root), realPath(path));
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Files that configure the agent, its hooks or git's own hooks: an agent that writes them can switch
 * airlock off or run code later, so such a write always goes to the gate (which denies the agent's
 * and airlock's own files outright: src/analyze/protected-paths.ts). Compared case-insensitively,
 * as macOS and Windows file systems compare them (`.GIT/hooks/pre-commit` is git's hook there).
 */
const GIT_HOOKS = /^\.git\/(hooks\/|config$)/;

export function isProtected(path: string, root: string): boolean {
  if (protectedPath(path) || protectedPath(realPath(path))) return true;
  const rel = relative(realPath(root), realPath(path)).split(sep).join("/").toLowerCase();
  return GIT_HOOKS.test(rel);
}

/** A tool's path argument, absolute: relative paths are taken from the session's directory. */
export function resolveToolPath(path: string, cwd: string): string {
  return resolve(cwd, path);
}
