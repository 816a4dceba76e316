import { expect, it } from "vitest";
import { analyzeShell, analyzeShellLoading, loadShell } from "../../../src/analyze/shell/index.js";

/**
 * Interpreter grammars load when a line first holds such code. Before that, the code is opaque,
 * never safe; analyzeShellLoading loads what the line wanted and answers with the grammar.
 */
it("reads code as opaque until its grammar is loaded, then reads it", async () => {
  await loadShell();
  const action = { kind: "shell" as const, command: `python3 -c 'print(1)'`, cwd: "/home/dev/app" };
  const before = analyzeShell(action);
  expect(before.operations.map((o) => [o.name, o.opaque])).toEqual([["python code (unanalysed)", true]]);
  const after = await analyzeShellLoading(action);
  expect(after.operations.map((o) => [o.name, o.effect, o.opaque ?? false])).toEqual([
    ["python code", "read", false],
  ]);
});

it("loads nothing for lines without interpreter code", async () => {
  await loadShell();
  const a = await analyzeShellLoading({ kind: "shell", command: "ls -la && git status" });
  expect(a.operations.map((o) => o.name)).toEqual(["ls", "git status"]);
});
