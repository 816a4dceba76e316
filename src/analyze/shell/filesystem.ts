import type { BlastRadius } from "../../action/decision.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import { type ClassifiedPath, classifyPath, isLocalWork, type PathClass } from "./paths.js";
import type { Walk } from "./walk.js";
import type { Word } from "./words.js";

/** Worst first: which of several paths decides. */
const SEVERITY: PathClass[] = [
  "root",
  "home",
  "system-top",
  "parent",
  "tree",
  "git",
  "system",
  "outside",
  "unknown",
  "inside",
  "build",
  "temp",
  "device",
];

const DESCRIBE: Record<PathClass, string> = {
  root: "the root filesystem",
  home: "a home directory",
  "system-top": "a system directory",
  system: "a system path",
  tree: "the working tree itself",
  parent: "a directory containing the working tree",
  git: "a git repository's history (.git)",
  outside: "a path outside the working tree",
  unknown: "a path only known when the line runs",
  inside: "a path in the working tree",
  build: "a build or cache directory",
  temp: "a temporary path",
  device: "a device",
};

export function worstPath(paths: ClassifiedPath[]): ClassifiedPath | undefined {
  let worst: ClassifiedPath | undefined;
  for (const p of paths) if (!worst || SEVERITY.indexOf(p.cls) < SEVERITY.indexOf(worst.cls)) worst = p;
  return worst;
}

function radius(cls: PathClass, recursive: boolean): BlastRadius {
  if (cls === "root" || cls === "home" || cls === "system-top") return recursive ? "host" : "service";
  if (cls === "parent") return "environment";
  if (cls === "tree" || cls === "git" || cls === "system") return "service";
  return recursive ? "service" : "resource";
}

/** Deleting or destroying the content of paths (rm, shred, find -delete, a truncating redirect). */
export function destroyPaths(
  inv: Pick<Invocation, "scope" | "session" | "state">,
  name: string,
  words: Word[],
  opts: {
    recursive: boolean;
    verb: string;
    effect?: OpSpec["effect"];
    reversibility?: OpSpec["reversibility"];
  },
): void {
  const paths = words.map((w) => classifyPath(w, inv.state)).filter((p) => p.cls !== "device");
  const worst = worstPath(paths);
  if (!worst) return;
  const wipe = opts.recursive && (worst.cls === "root" || worst.cls === "home" || worst.cls === "system-top");
  const local = paths.every((p) => isLocalWork(p.cls));
  const tags = wipe ? ["wipe", "data-loss"] : local ? [] : ["data-loss"];
  if (paths.length > 3) tags.push("bulk");
  emit(inv, {
    name,
    effect: opts.effect ?? "delete",
    summary: `${name} ${opts.verb} ${worst.path}: ${DESCRIBE[worst.cls]}${wipe ? " (wipes the host's files)" : ""}`,
    reversibility: opts.reversibility ?? "irreversible",
    blastRadius: radius(worst.cls, opts.recursive),
    targets: paths.map((p) => ({ type: "path", name: p.path })),
    tags,
    envHints: local ? ["local"] : [],
  });
}

/** Creating or changing files (touch, mkdir, cp, tee, `>>`): ordinary in the tree, a change elsewhere. */
export function writePaths(
  inv: Pick<Invocation, "scope" | "session" | "state">,
  name: string,
  words: Word[],
): void {
  const paths = words.map((w) => classifyPath(w, inv.state));
  const worst = worstPath(paths);
  if (!worst) return;
  const local = paths.every((p) => isLocalWork(p.cls));
  const system = ["root", "system", "system-top"].includes(worst.cls);
  emit(inv, {
    name,
    effect: "write",
    summary: `${name} writes ${worst.path}: ${DESCRIBE[worst.cls]}`,
    reversibility: local ? "reversible" : "recoverable",
    blastRadius: system ? "host" : "resource",
    targets: paths.map((p) => ({ type: "path", name: p.path })),
    envHints: local ? ["local"] : [],
  });
}

/** `> file` truncates it; `>> file` appends. */
export function redirectWrite(operator: string, target: Word, w: Walk): void {
  const inv = { scope: w.scope, session: w.session, state: w.state };
  const path = classifyPath(target, w.state);
  if (path.cls === "device") return;
  if (operator.includes(">>") || isLocalWork(path.cls)) {
    writePaths(inv, operator.includes(">>") ? "redirect >>" : "redirect >", [target]);
    return;
  }
  destroyPaths(inv, "redirect >", [target], { recursive: false, verb: "truncates" });
}
