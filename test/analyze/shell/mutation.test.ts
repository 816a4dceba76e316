import { beforeAll, expect, it } from "vitest";
import type { Decision } from "../../../src/action/decision.js";
import { evaluate } from "../../../src/gate/decide.js";
import { loadPolicy } from "../../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../../src/policy/compile.js";
import { loadCorpus } from "../../corpora/corpus.js";
import { REWRITES } from "./rewrites.js";

/**
 * Every guarded shell corpus case, rewritten in ways bash runs identically (rewrites.ts), must stay
 * guarded: never allowed, and never down from two approvers (or a denial) to one. The bypass rate
 * of each rewrite family is printed; the target, asserted, is 0.
 */
let policy: CompiledPolicy;
beforeAll(async () => {
  policy = await loadPolicy();
});

/** allow 0, one approver 1, two or more 2, deny 3. */
function severity(d: Decision): number {
  if (d.decision === "allow") return 0;
  if (d.decision === "deny") return 3;
  return (d.approvals?.required ?? 1) >= 2 ? 2 : 1;
}

it("keeps every guarded corpus case guarded under every rewrite bash runs identically", async () => {
  const guarded: { name: string; action: Record<string, unknown>; level: number }[] = [];
  for (const c of loadCorpus("shell")) {
    if (typeof c.action.command !== "string" || c.label === "edge") continue;
    // Bash rewrites of a cmd.exe or PowerShell line are not the same line to its shell.
    if (c.action.shell !== undefined || /(^|\/)(cmd|powershell)\.yaml$/.test(c.file ?? "")) continue;
    const d = (await evaluate(c.action, policy)).decision;
    if (severity(d) > 0) guarded.push({ name: `${c.file}: ${c.name}`, action: c.action, level: severity(d) });
  }
  expect(guarded.length).toBeGreaterThan(500);
  const rows: string[] = [];
  const bypasses: string[] = [];
  let total = 0;
  for (const [family, rewrites] of Object.entries(REWRITES)) {
    let tried = 0;
    let failed = 0;
    for (const [how, rewrite] of Object.entries(rewrites)) {
      for (const g of guarded) {
        const line = rewrite(g.action.command as string);
        if (line === undefined) continue;
        tried++;
        const level = severity((await evaluate({ ...g.action, command: line }, policy)).decision);
        if (level === 0 || (g.level >= 2 && level === 1)) {
          failed++;
          bypasses.push(
            `[${family} / ${how}] ${g.name}\n    ${JSON.stringify(line)} → level ${level} (was ${g.level})`,
          );
        }
      }
    }
    total += tried;
    rows.push(
      `${family.padEnd(20)} ${String(tried).padStart(6)} rewrites, ${failed} bypasses (${((100 * failed) / Math.max(tried, 1)).toFixed(2)}%)`,
    );
  }
  console.log(`mutation test: ${guarded.length} guarded cases, ${total} rewrites\n${rows.join("\n")}`);
  expect(bypasses, bypasses.slice(0, 40).join("\n")).toEqual([]);
}, 600_000);
