import { beforeAll, expect, it } from "vitest";
import { evaluate } from "../../src/gate/decide.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { corpusKinds, loadCorpus } from "../corpora/corpus.js";

/**
 * The false-positive rate issue 13 asks for (at most 1%): of every case labelled `benign` or
 * `false-positive` (looks dangerous, is not) in every corpus, those airlock does not allow. A case
 * whose label names a hold on purpose (an ordinary grant in production still wants one person) is
 * counted apart: it is the policy's ladder, not a mistake of the analysis. Printed per kind.
 */
let policy: CompiledPolicy;
beforeAll(async () => {
  policy = await loadPolicy();
});

it("holds or denies at most 1% of the benign and false-positive cases", async () => {
  const rows: string[] = [];
  const mistakes: string[] = [];
  let total = 0;
  let held = 0;
  for (const kind of corpusKinds()) {
    let cases = 0;
    let wrong = 0;
    let deliberate = 0;
    for (const c of loadCorpus(kind)) {
      if (c.label !== "benign" && c.label !== "false-positive") continue;
      cases++;
      const d = (await evaluate(c.action, policy)).decision;
      if (d.decision === "allow") continue;
      if (c.expect.decision !== undefined && c.expect.decision !== "allow") deliberate++;
      else {
        wrong++;
        mistakes.push(`${c.file}: ${c.name} → ${d.decision}`);
      }
    }
    total += cases;
    held += deliberate;
    rows.push(
      `${kind.padEnd(26)} ${String(cases).padStart(5)} cases, ${wrong} false positives (${((100 * wrong) / Math.max(cases, 1)).toFixed(2)}%), ${deliberate} held on purpose`,
    );
  }
  const rate = mistakes.length / Math.max(total, 1);
  console.log(
    `false positives: ${total} benign and false-positive cases, ${mistakes.length} not allowed (${(100 * rate).toFixed(2)}%), ${held} held on purpose\n${rows.join("\n")}${mistakes.length > 0 ? `\n  ${mistakes.join("\n  ")}` : ""}`,
  );
  expect(total).toBeGreaterThan(500);
  expect(rate, mistakes.join("\n")).toBeLessThanOrEqual(0.01);
}, 600_000);
