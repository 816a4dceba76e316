import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

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
 * Files inside a project that configure the agent, its hooks or git's own hooks: an agent that
 * writes them can switch airlock off or run code later, so a person confirms those writes too.
 */
const PROTECTED = [
  /^\.claude\/settings(\.local)?\.json$/,
  /^\.gemini\/settings\.json$/,
  /^\.cursor\/hooks\.json$/,
  /^\.kiro\/agents\//,
  /^\.codex\/(hooks\.json|config\.toml)$/,
  /^\.github\/hooks\//,
  /^\.git\/(hooks\/|config$)/,
  /^\.airlock\//,
];

export function isProtected(path: string, root: string): boolean {
  const rel = relative(realPath(root), realPath(path)).split(sep).join("/");
  return PROTECTED.some((p) => p.test(rel));
}

/** A tool's path argument, absolute: relative paths are taken from the session's directory. */
export function resolveToolPath(path: string, cwd: string): string {
  return resolve(cwd, path);
}
