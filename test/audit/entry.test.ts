import { describe, expect, it } from "vitest";
import { AUDIT_ENTRY_TYPES, decodeEntry, encodeEntry, GENESIS_PREV } from "../../src/audit/entry.js";
import { readEntryHeader } from "../../src/audit/entry-header.js";
import { encodeAll, fields, hexOf } from "./log-fixture.js";

const TIME = "2026-01-31T12:00:00.000Z";
const PREV = "ab".repeat(32);

describe("encodeEntry", () => {
  it("writes the RFC 8785 canonical JSON of the header and the fields", () => {
    const text = encodeEntry({ type: "token.revoked", time: TIME, name: "kiro", by: "root" }, 3, PREV);
    expect(text).toBe(
      `{"by":"root","index":3,"name":"kiro","prev":"${PREV}","time":"${TIME}","type":"token.revoked","v":1}`,
    );
  });

  it("chains each entry to the leaf hash of the one before, the first to 64 zeros", () => {
    const [first, second] = encodeAll([fields(0), fields(1)]);
    expect(JSON.parse(first?.bytes ?? "").prev).toBe(GENESIS_PREV);
    expect(JSON.parse(second?.bytes ?? "").prev).toBe(hexOf(first));
  });

  it("drops fields that are undefined, as JSON does", () => {
    const paused = { type: "paused", time: TIME, scope: "all", by: "root", at: TIME, reason: undefined };
    expect(encodeEntry(paused, 0, GENESIS_PREV)).not.toContain("reason");
  });

  it.each([
    ["an unknown type", { type: "action.maybe", time: TIME }, /field "type"/],
    ["a local time", { type: "action", time: "2026-01-31T12:00:00+01:00" }, /field "time"/],
    ["a field named index", { type: "action", time: TIME, index: 4 }, /may not be named "index"/],
    ["a field named v", { type: "action", time: TIME, v: 2 }, /may not be named "v"/],
    ["a field name that is not an identifier", { type: "action", time: TIME, "a b": 1 }, /use an identifier/],
    ["a lone surrogate", { type: "token.revoked", time: TIME, by: "root", name: "\ud800" }, /lone surrogate/],
  ])("refuses %s", (_, f, error) => {
    expect(() => encodeEntry(f, 0, GENESIS_PREV)).toThrow(error);
  });

  it("refuses a bad index or prev", () => {
    expect(() => encodeEntry({ type: "action", time: TIME }, -1, GENESIS_PREV)).toThrow(/field "index"/);
    expect(() => encodeEntry({ type: "action", time: TIME }, 0, PREV.toUpperCase())).toThrow(/field "prev"/);
  });

  it("lists every type once", () => {
    expect(new Set(AUDIT_ENTRY_TYPES).size).toBe(AUDIT_ENTRY_TYPES.length);
  });
});

describe("decodeEntry", () => {
  it("reads back what encodeEntry wrote", () => {
    for (const { bytes } of encodeAll(Array.from({ length: 8 }, (_, i) => fields(i)))) {
      const decoded = decodeEntry(bytes);
      expect(decoded.ok).toBe(true);
      expect(decoded.ok && decoded.entry).toEqual(JSON.parse(bytes));
    }
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["an array", "[]", /JSON object/],
    ["null", "null", /JSON object/],
    ["a missing header", '{"type":"action"}', /field "index"/],
    [
      "another version",
      `{"index":0,"prev":"${GENESIS_PREV}","time":"${TIME}","type":"action","v":2}`,
      /field "v"/,
    ],
    [
      "an unknown type",
      `{"index":0,"prev":"${GENESIS_PREV}","time":"${TIME}","type":"x","v":1}`,
      /field "type"/,
    ],
    [
      "keys out of order",
      `{"v":1,"index":0,"prev":"${GENESIS_PREV}","time":"${TIME}","type":"action"}`,
      /canonical/,
    ],
    [
      "whitespace",
      `{"index": 0,"prev":"${GENESIS_PREV}","time":"${TIME}","type":"action","v":1}`,
      /canonical/,
    ],
    [
      "a key that is not an identifier",
      `{"\\n":1,"index":0,"prev":"${GENESIS_PREV}","time":"${TIME}","type":"action","v":1}`,
      /cannot name/,
    ],
  ])("refuses %s, without throwing", (_, text, error) => {
    const decoded = decodeEntry(text);
    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? "" : decoded.error).toMatch(error);
  });
});

describe("readEntryHeader, the verifier's fast reader", () => {
  const entries = encodeAll(Array.from({ length: 8 }, (_, i) => fields(i)));

  it("reads the header of every kind of entry, not the look-alikes nested or quoted inside", () => {
    for (const { index, bytes } of entries) {
      const header = readEntryHeader(bytes);
      const value = JSON.parse(bytes);
      expect(header).toEqual({ ok: true, v: 1, index, prev: value.prev, time: value.time, type: value.type });
    }
  });

  it("agrees with decodeEntry on every entry decodeEntry accepts, after any one-character edit", () => {
    const replacements = ['"', "\\", "{", "}", "[", "]", ",", ":", "0", "9", "a", " ", ""];
    let accepted = 0;
    for (const { bytes } of entries.slice(0, 4)) {
      for (let at = 0; at < bytes.length; at++) {
        for (const r of replacements) {
          const edited = bytes.slice(0, at) + r + bytes.slice(at + 1);
          const decoded = decodeEntry(edited);
          if (!decoded.ok) continue;
          accepted++;
          const { v, index, prev, time, type } = decoded.entry;
          expect(readEntryHeader(edited), edited).toEqual({ ok: true, v, index, prev, time, type });
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  const tail = `"prev":"${GENESIS_PREV}","time":"${TIME}","type":"action","v":1}`;

  it.each([
    ["text after the object", `{"index":0,${tail} `],
    ["an index in quotes", `{"index":"0",${tail}`],
    ["an index with a leading zero", `{"index":01,${tail}`],
    ["a bare word among the header", `{"index":0,"pid":yes,${tail}`],
    ["an unclosed object among the header", `{"index":0,"request":{"a":[1},${tail}`],
    ["a string cut open among the header", `{"index":0,"reason":"x\\\\"",${tail}`],
    [
      "a prev that is not 64 characters",
      `{"index":0,"prev":"${PREV}0","time":"${TIME}","type":"action","v":1}`,
    ],
    ["no index", `{${tail}`],
  ])("refuses %s", (_, text) => {
    expect(readEntryHeader(text).ok).toBe(false);
  });

  it("takes the last of repeated keys, as JSON.parse does", () => {
    const text = `{"index":0,"index":1,${tail}`;
    expect(readEntryHeader(text)).toMatchObject({ ok: true, index: JSON.parse(text).index });
  });

  it("leaves the bytes before the header to the entry's hash", () => {
    const text = `{"a":{"b":[1,2},"index":0,${tail}`;
    expect(decodeEntry(text).ok).toBe(false);
    expect(readEntryHeader(text)).toMatchObject({ ok: true, index: 0 });
  });

  it("reads strings that end in escaped backslashes", () => {
    const text = `{"a":"x\\\\","b":"\\"}","index":5,"prev":"${PREV}","time":"${TIME}","type":"paused","v":1}`;
    expect(decodeEntry(text).ok).toBe(true);
    expect(readEntryHeader(text)).toMatchObject({ ok: true, index: 5, prev: PREV });
  });
});
