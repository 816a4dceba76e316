import { describe, expect, it } from "vitest";
import { Memo } from "../../../src/analyze/shell/memo.js";

describe("Memo, the analyzer's bounded cache", () => {
  it("remembers recent entries and forgets old ones", () => {
    const memo = new Memo<number>(4, 100);
    for (let i = 0; i < 10; i++) memo.set(`k${i}`, i);
    expect(memo.get("k9")).toBe(9);
    expect(memo.get("k8")).toBe(8);
    expect(memo.get("k0")).toBeUndefined();
  });

  it("keeps an entry that is used while others come and go", () => {
    const memo = new Memo<number>(4, 100);
    memo.set("hot", 1);
    for (let i = 0; i < 20; i++) {
      memo.set(`k${i}`, i);
      expect(memo.get("hot")).toBe(1);
    }
  });

  it("stays within its weight", () => {
    const memo = new Memo<number>(1000, 10, (v) => v);
    memo.set("a", 4);
    memo.set("b", 4);
    memo.set("c", 4);
    memo.set("d", 4);
    expect(["a", "b", "c", "d"].filter((k) => memo.get(k) !== undefined).length).toBeLessThanOrEqual(3);
  });
});
