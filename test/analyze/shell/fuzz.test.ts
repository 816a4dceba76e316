import { beforeAll, expect, it } from "vitest";
import { loadAllAnalyzers } from "../../../src/analyze/registry.js";
import { analyzeShell, loadShell } from "../../../src/analyze/shell/index.js";

beforeAll(async () => {
  await loadShell();
  await loadAllAnalyzers();
});

const SEEDS = [
  "rm -rf /",
  "git push -f origin main",
  "echo 'a' | sh",
  "cat <<EOF | bash\nls\nEOF",
  "kubectl delete ns prod",
  "psql -c 'DROP TABLE x'",
  "f() { f | f & }; f",
  "x=$(pwd); cd $x && rm -rf *",
  "aws s3 rb s3://b --force",
  "find . -exec rm {} +",
];
const ALPHABET = " \t\n'\"`$(){}[]|&;<>*?~\\#!=-abcrmfs/.0123456789";

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

it("never throws and always answers, over 100,000 random and mutated lines", () => {
  const r = rng(42);
  const N = Number(process.env.SHELL_FUZZ_N ?? 100_000);
  for (let i = 0; i < N; i++) {
    let line: string;
    if (i % 2 === 0) {
      const seed = SEEDS[Math.floor(r() * SEEDS.length)] ?? "";
      const chars = [...seed];
      for (let k = 0; k < 3; k++)
        chars.splice(
          Math.floor(r() * (chars.length + 1)),
          r() < 0.5 ? 1 : 0,
          ALPHABET[Math.floor(r() * ALPHABET.length)] ?? "",
        );
      line = chars.join("");
    } else {
      line = Array.from(
        { length: Math.floor(r() * 40) },
        () => ALPHABET[Math.floor(r() * ALPHABET.length)],
      ).join("");
    }
    const a = analyzeShell({ kind: "shell", command: line });
    if (!a || !Array.isArray(a.operations)) expect.unreachable(`no analysis for ${JSON.stringify(line)}`);
  }
}, 120_000);
