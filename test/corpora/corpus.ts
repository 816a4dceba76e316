import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import * as z from "zod/mini";
import { BLAST_RADII, REVERSIBILITY, VERDICTS } from "../../src/action/decision.js";
import {
  allEnvHints,
  allTags,
  isOpaque,
  widestBlastRadius,
  worstEffect,
  worstReversibility,
} from "../../src/analyze/aggregate.js";
import { inferEnvironment } from "../../src/analyze/environment.js";
import type { Analysis } from "../../src/analyze/types.js";

/**
 * A labelled corpus case. Files live in test/corpora/<kind>/*.yaml as `{ cases: [...] }`, read through
 * a strict schema: a misspelled key (`expects:`, `decison:`) fails the load instead of asserting nothing.
 * Every `expect` field is optional; each one given is asserted.
 */
const CaseExpect = z.strictObject({
  /** Operation names that must all be present. */
  operations: z.optional(z.array(z.string())),
  /** The most serious effect: read < write < execute < privilege < delete. */
  effect: z.optional(z.enum(["read", "write", "execute", "privilege", "delete"])),
  reversibility: z.optional(z.enum(REVERSIBILITY)),
  blastRadius: z.optional(z.enum(BLAST_RADII)),
  environment: z.optional(z.string()),
  opaque: z.optional(z.boolean()),
  /** Tags that must all be present on some operation. */
  tags: z.optional(z.array(z.string())),
  status: z.optional(z.enum(["complete", "partial", "opaque", "limited"])),
  /** Under the built-in default policy. */
  decision: z.optional(z.enum(VERDICTS)),
  /** approvals.required under the default policy, when the decision is hold. */
  approvals: z.optional(z.int().check(z.minimum(1))),
});

const CorpusCaseSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** true-positive, false-positive (looks dangerous, is not), bypass (dangerous, disguised), edge, benign */
  label: z.enum(["true-positive", "false-positive", "bypass", "edge", "benign"]),
  action: z.record(z.string(), z.unknown()),
  expect: CaseExpect,
});

const CorpusFile = z.strictObject({ cases: z.array(CorpusCaseSchema).check(z.minLength(1)) });

export type CorpusCase = z.infer<typeof CorpusCaseSchema> & { file?: string };

const CORPORA = new URL(".", import.meta.url).pathname;

export function loadCorpus(kind: string): CorpusCase[] {
  const dir = join(CORPORA, kind);
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  return files.flatMap((file) => {
    const parsed = CorpusFile.safeParse(parse(readFileSync(join(dir, file), "utf8")));
    if (!parsed.success) throw new Error(`test/corpora/${kind}/${file}: ${z.prettifyError(parsed.error)}`);
    return parsed.data.cases.map((c) => ({ ...c, file: `${kind}/${file}` }));
  });
}

export function corpusKinds(): string[] {
  return readdirSync(CORPORA, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}

/** The analysis-level facts of a case, in the shape `expect` uses, for one deep-equal assertion. */
export function observedFacts(
  analysis: Analysis,
  expect: CorpusCase["expect"],
  contextEnvironment: string | undefined,
): Partial<CorpusCase["expect"]> {
  const facts: Record<string, unknown> = {};
  const ops = analysis.operations;
  if (expect.operations) {
    const names = new Set(ops.map((o) => o.name));
    facts.operations = expect.operations.filter((n) => names.has(n));
    if ((facts.operations as string[]).length !== expect.operations.length) {
      facts.operations = [...(facts.operations as string[]), `(found: ${[...names].join(", ")})`];
    }
  }
  if (expect.effect) facts.effect = worstEffect(ops);
  if (expect.reversibility) facts.reversibility = worstReversibility(ops);
  if (expect.blastRadius) facts.blastRadius = widestBlastRadius(ops);
  if (expect.environment)
    facts.environment = inferEnvironment(contextEnvironment, allEnvHints(analysis)).name;
  if (expect.opaque !== undefined) facts.opaque = isOpaque(analysis);
  if (expect.tags) {
    const tags = allTags(ops);
    facts.tags = expect.tags.filter((t) => tags.has(t));
    if ((facts.tags as string[]).length !== expect.tags.length) {
      facts.tags = [...(facts.tags as string[]), `(found: ${[...tags].join(", ")})`];
    }
  }
  if (expect.status) facts.status = analysis.status;
  return facts;
}

/** The analysis-level part of `expect` (decision and approvals are checked through the gate). */
export function expectedFacts(expect: CorpusCase["expect"]): Partial<CorpusCase["expect"]> {
  const { decision: _d, approvals: _a, ...facts } = expect;
  return facts;
}
