import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The folders are the pipeline, in this order; a folder imports only from itself or a folder before
 * it, so imports go one way and no two folders import each other (docs/architecture.md).
 */
const ORDER = [
  "action",
  "analyze",
  "policy",
  "gate",
  "audit",
  "store",
  "approvals",
  "notify",
  "local",
  "sdk",
  "ingress",
  "ui",
  "cli",
] as const;

/** The pure core: no file system, network, processes or sockets. */
const CORE = ["action", "analyze", "policy", "gate"];

/**
 * Imports that go the wrong way today, each a debt with the issue that pays it. The list must
 * match exactly: a new wrong-way import fails, and so does paying one off without deleting it here.
 */
const KNOWN_DEBT: string[] = [];

const SRC = new URL("../src/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function folderOf(path: string): string {
  return relative(SRC, path).split("/")[0] ?? "";
}

function rank(folder: string): number {
  return (ORDER as readonly string[]).indexOf(folder);
}

/** Every relative import between two folders, as `from → to` with the importing file. */
function crossImports(sources: string[]): { edge: string; file: string; from: string; to: string }[] {
  const found = [];
  for (const file of sources) {
    const from = folderOf(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)"(\.{1,2}\/[^"]+)"/g)) {
      const to = folderOf(join(file, "..", m[1] ?? ""));
      if (to !== from) found.push({ edge: `${from} → ${to}`, file: relative(SRC, file), from, to });
    }
  }
  return found;
}

describe("architecture", () => {
  const sources = files(SRC);
  const imports = crossImports(sources);

  it("knows the place of every source folder", () => {
    expect([...new Set(sources.map(folderOf))].filter((f) => rank(f) < 0)).toEqual([]);
  });

  it("imports only from the same folder or one before it, but for the listed debt", () => {
    const wrong = imports.filter((i) => rank(i.to) > rank(i.from));
    const edges = [...new Set(wrong.map((i) => i.edge))].sort();
    const unlisted = wrong.filter((i) => !KNOWN_DEBT.includes(i.edge)).map((i) => `${i.file}: ${i.edge}`);
    expect(unlisted, "imports against the pipeline's direction").toEqual([]);
    expect(edges, "KNOWN_DEBT lists a debt that is paid: delete it").toEqual([...KNOWN_DEBT].sort());
  });

  it("has no import cycle between two folders outside the listed debt", () => {
    const edges = new Set(imports.map((i) => i.edge));
    const cycles = [...edges]
      .map((e) => e.split(" → ") as [string, string])
      .filter(([a, b]) => rank(a) < rank(b) && edges.has(`${b} → ${a}`))
      .filter(([a, b]) => !KNOWN_DEBT.includes(`${a} → ${b}`))
      .map(([a, b]) => `${a} ↔ ${b}`);
    expect(cycles).toEqual([]);
  });

  it("keeps the core (action, analyze, policy, gate) free of I/O", () => {
    const io = /from\s+"node:(fs|net|http|https|child_process|dgram|tls|worker_threads)(\/promises)?"/;
    const offenders = sources
      .filter((f) => CORE.includes(folderOf(f)))
      .filter((f) => io.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
