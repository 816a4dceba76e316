import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/action/decision.js";
import { type CorpusCase, corpusKinds, loadCorpus } from "../corpora/corpus.js";
import { call, makeToken, startTestServer, type TestServer } from "../ingress/http/harness.js";

/**
 * Every labelled case of every corpus through a real `airlock serve`'s `POST /v1/actions`, as an agent
 * would send it, under the built-in default policy. A case without a claimed context must get the
 * decision and approvals the corpus names; a case that claims a context (an environment, labels)
 * must never get less than that, since the server decides what an agent's claims are worth.
 */
const VERDICT_RANK = { allow: 0, hold: 1, deny: 2 } as const;

let server: TestServer;
let token: string;

beforeAll(async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), "airlock-corpora-http-")), "data");
  token = makeToken(dataDir, ["--name", "corpus-agent", "--role", "agent", "--on-behalf-of", "corpus-owner"]);
  server = await startTestServer({ dataDir });
});

afterAll(async () => {
  await server?.stop();
});

/** At most this many requests in flight: the server's own concurrency, not a race. */
const IN_FLIGHT = 8;

async function decideAll(cases: CorpusCase[]): Promise<Decision[]> {
  const decisions: Decision[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i] as CorpusCase;
      const { status, json } = await call(server, "POST", "/v1/actions", token, c.action);
      if (status !== 200) throw new Error(`${c.file}: ${c.name}: HTTP ${status} ${JSON.stringify(json)}`);
      decisions[i] = json as unknown as Decision;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return decisions;
}

describe("every corpus through POST /v1/actions", () => {
  it.for(corpusKinds())("%s", async (kind) => {
    const cases = loadCorpus(kind).filter((c) => c.expect.decision !== undefined);
    const decisions = await decideAll(cases);
    const wrong: string[] = [];
    cases.forEach((c, i) => {
      const d = decisions[i] as Decision;
      const claims = c.action.context !== undefined;
      const expected = c.expect.decision as keyof typeof VERDICT_RANK;
      const got = `${d.decision}${d.decision === "hold" ? ` (${d.approvals?.required})` : ""}`;
      const want = `${expected}${expected === "hold" && c.expect.approvals ? ` (${c.expect.approvals})` : ""}`;
      const weaker = VERDICT_RANK[d.decision] < VERDICT_RANK[expected];
      const differs =
        d.decision !== expected ||
        (c.expect.approvals !== undefined &&
          d.decision === "hold" &&
          d.approvals?.required !== c.expect.approvals);
      if (claims ? weaker : differs) wrong.push(`${c.file}: ${c.name}: got ${got}, corpus says ${want}`);
    });
    expect(wrong).toEqual([]);
  });
});
