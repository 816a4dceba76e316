import { describe, expect, it } from "vitest";
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
import { analyzeShell, loadShell } from "../../../src/analyze/shell/index.js";

await loadShell();

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
