import { describe, expect, it } from "vitest";
import type { ShellAction } from "../../../src/action/schema.js";
import {
  allTags,
  blastRank,
  effectRank,
  isOpaque,
  reversibilityRank,
  widestBlastRadius,
  worstEffect,
  worstReversibility,
} from "../../../src/analyze/aggregate.js";
import { loadAllAnalyzers } from "../../../src/analyze/registry.js";
import { analyzeShell, loadShell } from "../../../src/analyze/shell/index.js";
import { loadCorpus } from "../../corpora/corpus.js";

await loadShell();
await loadAllAnalyzers();

const DESTRUCTIVE = [
  "rm -rf /",
  "rm -rf ~/projects",
  "git push --force origin main",
  "terraform destroy -auto-approve",
  "dropdb orders_prod",
  "crontab -r",
  "shutdown -h now",
  "git reset --hard",
  "chmod -R 777 /etc",
  "kubectl delete ns payments --context prod-eks",
  "aws s3 rb s3://acme-prod-data --force",
  "gcloud projects delete acme-prod-123 --quiet",
  "az group delete --name rg-prod --yes",
  "helm uninstall api -n prod",
  "pulumi destroy --yes -s prod",
  "npx prisma migrate reset --force",
  "psql -h prod-db -c 'DROP TABLE users'",
];
const WRAPS: ((c: string) => string)[] = [
  (c) => `sudo ${c}`,
  (c) => `env X=1 ${c}`,
  (c) => `sh -c '${c}'`,
  (c) => `bash -c "${c}"`,
  (c) => `bash <<'EOF'\n${c}\nEOF`,
  (c) => `timeout 5 ${c}`,
  (c) => `ssh host '${c}'`,
  (c) => `nohup ${c} &`,
];
const run = (command: string) => analyzeShell({ kind: "shell", command, cwd: "/home/dev/app" });

describe("wrapping never makes a destructive line safer", () => {
  for (const c of DESTRUCTIVE) {
    const base = run(c);
    it.each(WRAPS.map((w) => [w(c)]))("%s", (wrapped) => {
      const a = run(wrapped);
      if (isOpaque(a)) return;
      expect(effectRank(worstEffect(a.operations))).toBeGreaterThanOrEqual(
        effectRank(worstEffect(base.operations)),
      );
      expect(reversibilityRank(worstReversibility(a.operations))).toBeGreaterThanOrEqual(
        reversibilityRank(worstReversibility(base.operations)),
      );
      expect(blastRank(widestBlastRadius(a.operations))).toBeGreaterThanOrEqual(
        blastRank(widestBlastRadius(base.operations)),
      );
      for (const t of allTags(base.operations)) expect(allTags(a.operations).has(t)).toBe(true);
    });
  }
});

describe("quoting and spacing do not change the analysis", () => {
  const facts = (c: string) => {
    const a = run(c);
    return [
      worstEffect(a.operations),
      worstReversibility(a.operations),
      widestBlastRadius(a.operations),
      [...allTags(a.operations)].sort(),
    ];
  };
  it.each([
    ["rm -rf /", "rm   -rf   '/'"],
    ["rm -rf /", '"rm" "-rf" "/"'],
    ["git push --force origin main", "git  push '--force'  origin \"main\""],
    ["rm -rf ~", "rm -r -f ~"],
    ["terraform destroy", "  terraform\tdestroy  "],
  ])("%s ~ %s", (a, b) => {
    expect(facts(b)).toEqual(facts(a));
  });
});

describe("remembered parses and delegated analyses are invisible", () => {
  const cases = loadCorpus("shell");
  it("analysing every corpus line a second time gives the same analysis", () => {
    const first = cases.map((c) => JSON.stringify(analyzeShell(c.action as ShellAction)));
    const again = cases.map((c) => JSON.stringify(analyzeShell(c.action as ShellAction)));
    expect(again).toEqual(first);
  });

  it("changing a returned analysis does not change the next one", () => {
    const line = { kind: "shell" as const, command: "psql -h prod-db -c 'DROP TABLE users'" };
    const a = analyzeShell(line);
    for (const op of a.operations) {
      op.tags?.push("tampered");
      op.targets.push({ type: "x", name: "tampered" });
    }
    expect(JSON.stringify(analyzeShell(line))).not.toContain("tampered");
  });
});

describe("work is bounded by counting, not by the clock", () => {
  it("nested loops over known items are analysed a bounded number of times", () => {
    const loops = `${"for a in 1 2 3 4 5 6 7 8; do ".repeat(6)}rm -rf /tmp/$a; ${"done; ".repeat(6)}`;
    const a = analyzeShell({ kind: "shell", command: loops });
    expect(a.operations.length).toBeLessThan(100);
  });

  const calls = Array.from({ length: 9 }, (_, i) =>
    i === 0 ? "f0(){ rm -rf /tmp/a; }" : `f${i}(){ ${`f${i - 1}; `.repeat(4)}}`,
  ).join("; ");
  const script = `bash <<'EOF'\n${"if [ -d /srv ]; then cd /srv && git pull; fi\n".repeat(2000)}EOF`;
  it.each([
    ["functions that call each other four times over, nine deep", `${calls}; f8`],
    ["a script too long to parse", script],
    ["parentheses 3,000 deep", `${"(".repeat(3000)}ls${")".repeat(3000)}`],
  ])("%s is refused, the same way every time", (_name, command) => {
    const runs = [1, 2, 3].map(() => analyzeShell({ kind: "shell", command }));
    for (const a of runs) expect(a.status).toBe("limited");
    expect(new Set(runs.map((a) => JSON.stringify(a))).size).toBe(1);
  });
});
