import { describe, expect, it } from "vitest";
import { canonicalize } from "../../src/action/jcs.js";
import { auditableCopy, MAX_INPUT_DEPTH, screenInput } from "../../src/action/screen.js";

const nest = (depth: number): unknown => {
  let v: unknown = "x";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe("screenInput", () => {
  it("passes well-formed text, astral characters and deep but reasonable nesting", () => {
    expect(screenInput({ kind: "shell", command: "echo 😀 \u00e9" }, "fine")).toEqual({ ok: true });
    expect(screenInput({ kind: "mcp", arguments: nest(MAX_INPUT_DEPTH - 1) })).toEqual({ ok: true });
  });

  it("refuses lone surrogates in values, keys and the intent, naming where", () => {
    expect(screenInput({ command: "a\ud800" })).toMatchObject({ code: "invalid_action", field: "command" });
    expect(screenInput({ x: [{ "\udfff": 1 }] })).toMatchObject({
      code: "invalid_action",
      field: "x.0.(a key)",
    });
    expect(screenInput({}, "\ud83d")).toMatchObject({ code: "invalid_action", field: "intent" });
  });

  it("refuses nesting past the limit, even a hundred thousand levels, without overflowing", () => {
    expect(screenInput({ a: nest(MAX_INPUT_DEPTH) })).toMatchObject({ code: "parse_limit" });
    expect(screenInput(nest(100_000))).toMatchObject({ code: "parse_limit" });
  });

  it("makes a copy the audit log can canonicalize", () => {
    const copy = auditableCopy({ "k\ud800": ["\udc00", nest(100_000)] });
    expect(() => canonicalize(copy)).not.toThrow();
    expect(canonicalize(copy)).toContain("\ufffd");
  });
});
