import { posix } from "node:path";
import { withoutTrailing } from "../../action/text.js";
import { resolvePath, type ShellState } from "./state.js";
import type { Word } from "./words.js";

/**
 * Where a path points, in the terms that decide how dangerous touching it is.
 * - root/home/system-top: the host itself (a wipe)
 * - system: inside a system directory
 * - tree: the working tree itself, or everything in it; parent: an ancestor of it
 * - outside: elsewhere on the machine (a sibling project, /data, /mnt)
 * - inside: within the working tree; temp: /tmp and friends; build: a build or cache directory
 * - unknown: only known when the line runs
 */
export type PathClass =
  | "root"
  | "home"
  | "system-top"
  | "system"
  | "tree"
  | "parent"
  | "outside"
  | "git"
  | "inside"
  | "temp"
  | "build"
  | "device"
  | "unknown";

export interface ClassifiedPath {
  cls: PathClass;
  /** The path as resolved, for targets and summaries. */
  path: string;
}

const SYSTEM_DIRS = new Set([
  "bin",
  "boot",
  "dev",
  "etc",
  "lib",
  "lib32",
  "lib64",
  "libx32",
  "opt",
  "proc",
  "root",
  "sbin",
  "srv",
  "sys",
  "usr",
  "var",
  "snap",
  "System",
  "Library",
  "Applications",
  "private",
  "Volumes",
  "mnt",
  "media",
  "nix",
]);
const TEMP = /^\/(tmp|var\/tmp|private\/tmp|private\/var\/folders|var\/folders|dev\/shm)(\/|$)/;
/** A home directory, or the directory of every home. */
const HOME_DIR = /^\/(home|Users)(\/[^/]+)?\/?$|^\/root\/?$/;
const BUILD_DIRS = new Set([
  "node_modules",
  "dist",
  "build",
  "out",
  "target",
  ".next",
  ".nuxt",
  ".turbo",
  ".cache",
  "coverage",
  "__pycache__",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
  ".parcel-cache",
  ".gradle",
  ".venv",
  "venv",
  ".tox",
  "tmp",
  ".svelte-kit",
  ".angular",
  ".expo",
  "bin",
  "obj",
  ".terraform",
  "vendor",
  "storybook-static",
]);
const DEVICES = /^\/dev\/(null|zero|stdout|stderr|tty|fd\/\d+)$/;

const GLOB_SEGMENTS = ["/{*,.*}", "/*.*", "/**", "/.*", "/*"];

/** The glob segment `path` ends with, if any (a loop, not a regex: paths come from the agent). */
function globSegment(path: string): string | undefined {
  return GLOB_SEGMENTS.find((segment) => path.endsWith(segment));
}

/** Strip trailing glob segments: `/*`, `/.*`, `/**` mean "everything in the directory". */
function globBase(path: string): { base: string; everything: boolean } {
  let base = path;
  for (let segment = globSegment(base); segment; segment = globSegment(base))
    base = base.slice(0, -segment.length);
  if (base !== path) return { base: base === "" ? "/" : base, everything: true };
  if (path === "*" || path === ".*" || path === "**") return { base: ".", everything: true };
  return { base: path, everything: false };
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}

function classifyResolved(p: string, state: ShellState): PathClass {
  const tree = state.workTree ?? ".";
  if (DEVICES.test(p)) return "device";
  if (p === "/" || p === "//") return "root";
  if (p === "~" || p === "~/" || (state.home && p === state.home) || HOME_DIR.test(p)) return "home";
  if (p === tree || p === "." || p === "./") return "tree";
  if (isUnder(tree, p) || p === ".." || /^(\.\.\/)+\.\.$/.test(p)) return "parent";
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes(".git") && parts[parts.length - 1] === ".git") return "git";
  if (TEMP.test(p)) return "temp";
  const last = parts[parts.length - 1] ?? "";
  const inTree = p.startsWith("/") ? isUnder(p, tree) : !p.startsWith("..") && !p.startsWith("~");
  if (inTree) return BUILD_DIRS.has(last) ? "build" : "inside";
  if (parts.length > 1 && BUILD_DIRS.has(last)) return "build";
  if (p.startsWith("/") && SYSTEM_DIRS.has(parts[0] ?? ""))
    return parts.length === 1 ? "system-top" : "system";
  return "outside";
}

/** Classify a word used as a path, assuming the worst of anything unknown. */
export function classifyPath(word: Word, state: ShellState): ClassifiedPath {
  if (!word.known) {
    // `rm -rf "$BUILD_DIR/"` with BUILD_DIR empty is `rm -rf /`.
    const empty = word.ifEmpty === "" ? null : classifyKnown(word.ifEmpty, state, word.glob);
    if (empty && (empty.cls === "root" || empty.cls === "home" || empty.cls === "system-top")) return empty;
    const last = posix.basename(word.value);
    if (BUILD_DIRS.has(last) && word.value.includes("/")) return { cls: "build", path: word.value };
    if (/^\/tmp\/tmp\./.test(word.value)) return { cls: "temp", path: word.value };
    return { cls: "unknown", path: word.value };
  }
  return classifyKnown(word.value, state, word.glob);
}

function classifyKnown(value: string, state: ShellState, glob: boolean): ClassifiedPath {
  const { base, everything } = glob ? globBase(value) : { base: value, everything: false };
  const resolved = resolvePath(state, withoutTrailing(base, "/") || "/");
  if (resolved === null) return { cls: "unknown", path: value };
  const cls = classifyResolved(resolved, state);
  // `dir/*` empties the directory: as bad as deleting it, for the directories that matter.
  if (everything || !glob) return { cls, path: resolved };
  return { cls: cls === "tree" || cls === "root" ? "inside" : cls, path: resolved };
}

/** Ordinary work on this machine's working tree: carries the "local" hint. */
export function isLocalWork(cls: PathClass): boolean {
  return cls === "inside" || cls === "temp" || cls === "build" || cls === "device";
}
