import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports go one way: edges depend on the core, the core depends on nothing at the edges.
 * A folder may import from its own layer or any layer before it.
 */
const LAYERS: Record<string, number> = {
  action: 0,
  analyze: 1,
  policy: 2,
  gate: 3,
  approvals: 4,
  audit: 4,
  store: 4,
  notify: 4,
  ingress: 5,
  ui: 5,
  sdk: 5,
  cli: 6,
};

const SRC = new URL("../src/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function layerOf(path: string): string {
  return relative(SRC, path).split("/")[0] ?? "";
}

describe("architecture", () => {
  const sources = files(SRC);

  it("knows the layer of every source folder", () => {
    expect(sources.map(layerOf).filter((l) => !(l in LAYERS))).toEqual([]);
  });

  it("imports only from the same or an earlier layer", () => {
    const violations: string[] = [];
    for (const file of sources) {
      const from = layerOf(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)"(\.{1,2}\/[^"]+)"/g)) {
        const target = layerOf(join(file, "..", m[1] ?? ""));
        if ((LAYERS[target] ?? 99) > (LAYERS[from] ?? -1))
          violations.push(`${relative(SRC, file)} → ${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("keeps analyzers and policy free of I/O", () => {
    const io = /from\s+"node:(fs|net|http|https|child_process|dgram|tls)(\/promises)?"/;
    const offenders = sources
      .filter((f) => ["action", "analyze", "policy"].includes(layerOf(f)))
      .filter((f) => io.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
