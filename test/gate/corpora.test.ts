import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/action/decision.js";
import { isTag } from "../../src/analyze/tags.js";
import { evaluate } from "../../src/gate/decide.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { type CorpusCase, corpusKinds, expectedFacts, loadCorpus, observedFacts } from "../corpora/corpus.js";

/**
 * Every labelled case of every corpus, through the whole gate under the built-in default policy
 * (the library), and then the same cases through `airlock check --batch` (the CLI): both must agree.
 */
let policy: CompiledPolicy;
beforeAll(async () => {
  policy = await loadPolicy();
});

const BIN = new URL("../../bin/airlock.mjs", import.meta.url).pathname;

describe("tags", () => {
  it("every tag an analyzer puts on a corpus case's operations is in the vocabulary policies may name", async () => {
    const unlisted = new Set<string>();
    for (const kind of corpusKinds())
      for (const c of loadCorpus(kind))
        for (const op of (await evaluate(c.action, policy)).analysis?.operations ?? [])
          for (const tag of op.tags ?? []) if (!isTag(tag)) unlisted.add(`${tag} (${c.file}: ${c.name})`);
    expect([...unlisted], "add them to src/analyze/tags.ts").toEqual([]);
  });
});

for (const kind of corpusKinds()) {
  const cases = loadCorpus(kind);

  describe(`${kind} corpus through the gate`, () => {
    it.for(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))("%s", async ([, c]) => {
      const evaluation = await evaluate(c.action, policy);
      const d = evaluation.decision;
      const context = (c.action.context as { environment?: string } | undefined)?.environment;
      const observed: Record<string, unknown> = evaluation.analysis
        ? observedFacts(evaluation.analysis, c.expect, context)
        : {};
      const expected: Record<string, unknown> = evaluation.analysis ? expectedFacts(c.expect) : {};
      if (c.expect.decision !== undefined) {
        observed.decision = d.decision;
        expected.decision = c.expect.decision;
      }
      if (c.expect.approvals !== undefined) {
        observed.approvals = d.approvals?.required;
        expected.approvals = c.expect.approvals;
      }
      expect(observed, d.reasons.join("\n")).toEqual(expected);
    });
  });

  describe(`${kind} corpus through \`airlock check --batch\``, () => {
    it("answers every line in order, exactly as the library does", async () => {
      const input = cases.map((c: CorpusCase) => JSON.stringify(c.action)).join("\n");
      const run = spawnSync(process.execPath, [BIN, "check", "--batch", "-"], {
        input,
        encoding: "utf8",
        maxBuffer: 1 << 28,
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const lines = run.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Decision);
      expect(lines).toHaveLength(cases.length);
      const library = await Promise.all(cases.map(async (c) => (await evaluate(c.action, policy)).decision));
      expect(lines.map((d) => [d.decision, d.digest])).toEqual(library.map((d) => [d.decision, d.digest]));
    });
  });
}
