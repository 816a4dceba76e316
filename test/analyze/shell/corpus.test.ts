import { beforeAll, describe, expect, it } from "vitest";
import type { ShellAction } from "../../../src/action/schema.js";
import { analyzeShell, loadShell } from "../../../src/analyze/shell/index.js";
import { expectedFacts, loadCorpus, observedFacts } from "../../corpora/corpus.js";

beforeAll(loadShell);

const cases = loadCorpus("shell");

describe("shell corpus", () => {
  it.each(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))("%s", (_name, c) => {
    const action = c.action as ShellAction;
    const analysis = analyzeShell(action);
    expect(observedFacts(analysis, c.expect, action.context?.environment)).toEqual(expectedFacts(c.expect));
  });
});
