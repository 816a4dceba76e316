import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * `import … from "airlock/sdk"` as a user's program gets it: the bundle dist/sdk.mjs (built by the
 * test setup from src/ via scripts/build.mjs), found through package.json "exports", with the
 * declarations in dist/types.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const DIST = join(ROOT, "dist");

/** The files a module loads before any of its code runs: its static imports, transitively. */
function staticGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(join(DIST, file), "utf8");
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?(?:from\s*)?"\.\/([^"]+)";?$/gm))
      visit(m[1] ?? "");
  };
  visit(entry);
  return seen;
}

describe("the SDK bundle", () => {
  it("loads by its package name, and a local guard decides under the built-in policy", () => {
    const script = `
      const { createGuard } = await import("airlock/sdk");
      const guard = createGuard();
      const read = await guard.submit({ kind: "shell", command: "ls" });
      const wipe = await guard.submit({ kind: "shell", command: "rm -rf /" });
      console.log(JSON.stringify([read.decision, wipe.decision]));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(["allow", "deny"]);
  });

  it("does not load the CLI, the servers or any parser until a local guard decides", () => {
    const graph = staticGraph("sdk.mjs");
    const sources = [...graph.values()].flatMap((text) =>
      [...text.matchAll(/^\/\/ (\S+)$/gm)].map((m) => m[1]),
    );
    expect(sources).toContain("src/sdk/guard.ts");
    const heavy = sources.filter((s) =>
      /^src\/(cli|analyze|policy|ingress|ui|store)\/|node_modules\/(commander|yaml|hono|@marcbachmann)/.test(
        s ?? "",
      ),
    );
    expect(heavy).toEqual([]);
    const bare = [...graph.values()].flatMap((text) =>
      [...text.matchAll(/from "([^./][^"]*)"/g)].map((m) => m[1]),
    );
    expect(bare.filter((b) => !b?.startsWith("node:"))).toEqual([]);
  });

  it("has declarations a TypeScript program can use with the frameworks' own types", () => {
    const consumer = join(ROOT, "test/sdk/__consumer__.ts");
    const code = `
      import { tool as lcTool } from "@langchain/core/tools";
      import { Agent, tool as oaTool } from "@openai/agents";
      import { type ToolSet, tool } from "ai";
      import { z } from "zod";
      import { createGuard, guardAiTool, guardLangChainTool, guardOpenAiTool, isAirlockRefusal } from "airlock/sdk";
      const guard = createGuard({ url: "http://127.0.0.1:7070", token: "t", onHold: { waitSeconds: 60 } });
      const run = guardAiTool(
        tool({ inputSchema: z.object({ command: z.string() }), execute: async ({ command }) => command.length }),
        ({ command }) => ({ kind: "shell", command }),
        guard,
      );
      export const tools: ToolSet = { run };
      export const search = guardLangChainTool(
        lcTool(async ({ q }) => q, { name: "search", schema: z.object({ q: z.string() }) }),
        ({ q }) => ({ kind: "mcp", server: "docs", tool: "search", arguments: { q } }),
        guard,
      );
      const add = oaTool({ name: "add", description: "adds", parameters: z.object({ n: z.number() }), execute: async ({ n }) => n + 1 });
      export const agent = new Agent({ name: "a", tools: [guardOpenAiTool(add, "add", guard)] });
      export const refused = (x: unknown): string => (isAirlockRefusal(x) ? x.airlock.decision : "ran");`;
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      types: ["node"],
    };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, lang, ...rest) =>
      name === consumer
        ? ts.createSourceFile(name, code, lang)
        : getSourceFile.call(host, name, lang, ...rest);
    host.fileExists = (name) => name === consumer || fileExists.call(host, name);
    host.readFile = (name) => (name === consumer ? code : readFile.call(host, name));
    const program = ts.createProgram([consumer], options, host);
    const ours = program
      .getSourceFiles()
      .filter((f) => f.fileName === consumer || f.fileName.startsWith(DIST));
    expect(ours.some((f) => f.fileName.endsWith("dist/types/sdk/index.d.ts"))).toBe(true);
    const problems = ours.flatMap((f) => [
      ...program.getSyntacticDiagnostics(f),
      ...program.getSemanticDiagnostics(f),
    ]);
    expect(
      problems.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
    ).toEqual([]);
  });
});
