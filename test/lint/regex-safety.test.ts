import { checkSync, type Diagnostics } from "recheck";
import { describe, expect, it } from "vitest";
import { CLI_NAMES } from "../../src/ingress/hooks/types.js";
import { compileGlob } from "../../src/policy/glob.js";
import { regexSites } from "./regex-sources.js";

/**
 * No regular expression in src/ backtracks super-linearly: almost all of them run on text an agent
 * sends, and one that takes exponential time blocks the process that must answer "deny" in time.
 * recheck decides each one without a clock: its automaton checker, and for patterns it cannot turn
 * into an automaton (look-arounds, back-references) its fuzzer, with a fixed seed and every limit
 * counted in steps of its matching VM rather than in time, so a busy machine can only make this slow.
 */

const STEPS_NOT_TIME = {
  timeout: null,
  attackTimeout: null,
  incubationTimeout: null,
  recallTimeout: -1, // no validation by running the real RegExp against a clock
  seedingTimeout: null,
  randomSeed: 0,
} as const;

const checked = new Map<string, Diagnostics>();

function check(source: string, flags: string): Diagnostics {
  const key = `/${source}/${flags}`;
  let diagnostics = checked.get(key);
  if (diagnostics === undefined) {
    diagnostics = checkSync(source, flags, STEPS_NOT_TIME);
    checked.set(key, diagnostics);
  }
  return diagnostics;
}

function verdict(where: string, source: string, flags: string): string | undefined {
  const d = check(source, flags);
  if (d.status === "safe") return undefined;
  const why =
    d.status === "vulnerable"
      ? `${d.complexity.summary}, attack ${JSON.stringify(d.attack.string.slice(0, 60))}`
      : JSON.stringify(d.error);
  return `${where} /${source}/${flags}: ${d.status} (${why})`;
}

/**
 * Patterns built at run time, by file: each entry makes the file build its patterns, which the
 * test collects by watching the RegExp constructor. A new `new RegExp(variable)` in another file
 * fails the first test until it is listed here.
 */
const BUILT_AT_RUN_TIME: Record<string, () => Promise<unknown>> = {
  "src/analyze/http.ts": () => import("../../src/analyze/http.js"),
  "src/analyze/protected-paths.ts": () => import("../../src/analyze/protected-paths.js"),
  "src/analyze/shell/migrations.ts": () => import("../../src/analyze/shell/migrations.js"),
  "src/policy/scope.ts": () => import("../../src/policy/scope.js"),
  "src/ingress/hooks/settings.ts": async () => {
    const { isAirlockCommand } = await import("../../src/ingress/hooks/settings.js");
    return CLI_NAMES.map((cli) => isAirlockCommand("node airlock-hook.mjs x", cli));
  },
};

/** The patterns `build` constructs with RegExp, fresh modules so that module-level patterns are built again. */
async function patternsBuiltBy(build: () => Promise<unknown>): Promise<{ source: string; flags: string }[]> {
  const seen: { source: string; flags: string }[] = [];
  const original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(original, {
    construct(target, args: [string | RegExp, string?]) {
      const made = Reflect.construct(target, args) as RegExp;
      seen.push({ source: made.source, flags: made.flags });
      return made;
    },
    apply(target, self, args: [string | RegExp, string?]) {
      const made = Reflect.apply(target, self, args) as RegExp;
      seen.push({ source: made.source, flags: made.flags });
      return made;
    },
  });
  try {
    await build();
  } finally {
    globalThis.RegExp = original;
  }
  return seen;
}

describe("regular expressions in src/", () => {
  const sites = regexSites();

  it("builds patterns at run time only where this test can see them", () => {
    const dynamic = [
      ...new Set(sites.filter((s) => s.source === undefined).map((s) => s.where.split(":")[0])),
    ];
    expect(dynamic.sort()).toEqual(Object.keys(BUILT_AT_RUN_TIME).sort());
  });

  it("has no literal with super-linear backtracking", () => {
    const found = sites.flatMap((s) => (s.source === undefined ? [] : [verdict(s.where, s.source, s.flags)]));
    expect(found.filter((f) => f !== undefined)).toEqual([]);
  });

  it.for(Object.keys(BUILT_AT_RUN_TIME))("has none among the patterns %s builds", async (file, { skip }) => {
    void skip;
    const { vi } = await import("vitest");
    vi.resetModules();
    const patterns = await patternsBuiltBy(BUILT_AT_RUN_TIME[file] as () => Promise<unknown>);
    expect(patterns.length, `${file} built no pattern under the test`).toBeGreaterThan(0);
    const found = patterns.map((p) => verdict(file, p.source, p.flags));
    expect(found.filter((f) => f !== undefined)).toEqual([]);
  });

  it("catches the kind of pattern that blocked the MCP proxy", () => {
    // The pattern src/analyze/mcp/embedded.ts used before: 32 repeats of `/* */` took 80 s.
    const old = String.raw`^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(select|insert)\b`;
    expect(check(old, "i").status).toBe("vulnerable");
    expect(check(String.raw`\/+$`, "").status).toBe("vulnerable");
  });

  it("matches policy globs without a regex, in steps bounded by pattern × text", () => {
    const glob = compileGlob("*a*a*a*a*a*b");
    expect(glob("a".repeat(50_000))).toBe(false);
    expect(glob(`${"a".repeat(10)}b`)).toBe(true);
    expect(compileGlob("rds:Delete*")("RDS:DeleteDBInstance")).toBe(true);
    expect(compileGlob("s3:?etObject")("s3:GetObject")).toBe(true);
    expect(compileGlob("prod-*-db")("prod-eu-dbx")).toBe(false);
  });
});
