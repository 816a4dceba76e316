import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { clientOptions, count, parseOptions, seconds } from "../../src/cli/options.js";
import { airlockSync, makeToken } from "../ingress/http/harness.js";

/** Options checked against each command's schema, not cast: typed values in, a usage error naming the flag out. */

describe("parseOptions", () => {
  const Options = z.object({
    ...clientOptions,
    onBehalfOf: z.optional(z.string()),
    timeout: seconds,
    from: count,
  });

  it("gives typed values: numbers as numbers, absent flags absent", () => {
    expect(parseOptions(Options, { url: "http://x", timeout: "1.5", from: "12", json: true })).toEqual({
      ok: true,
      options: { url: "http://x", timeout: 1.5, from: 12, json: true },
    });
    expect(parseOptions(Options, {})).toEqual({ ok: true, options: {} });
  });

  it("names the flag as it is typed when a value is wrong", () => {
    expect(parseOptions(Options, { timeout: "soon" })).toEqual({
      ok: false,
      error: "--timeout: a number of seconds",
    });
    expect(parseOptions(Options, { onBehalfOf: 7 }).ok).toBe(false);
    const parsed = parseOptions(Options, { onBehalfOf: 7, from: "-1" });
    expect(parsed.ok || parsed.error).toMatch(/^--on-behalf-of: .*; --from: a whole number, 0 or more$/);
    expect(parseOptions(Options, { from: "99999999999999999999" }).ok).toBe(false);
  });
});

describe("the CLI's options, as a user types them", () => {
  const server = ["--url", "http://127.0.0.1:9", "--token", "t"];

  it.each([
    [["wait", "r_1", "--timeout", "soon", ...server], "airlock wait: --timeout: a number of seconds"],
    [["requests", "--status", "waiting", ...server], "airlock requests: --status: "],
    [["approve", "r_1", "--digest", "abc", ...server], "airlock approve: --digest: the 64-hex-digit digest"],
    [
      ["breakers", "reset", "deletes", "--scope", "production", ...server],
      "airlock breakers reset: --scope: a scope is all, agent:NAME",
    ],
    [["pause", "--agent", " kiro", ...server], "airlock pause: --agent: a name is at most 200 characters"],
    [["replay", "--policy", "p.yaml", "--examples", "many"], "airlock replay: --examples: a whole number"],
  ])("refuses %j with exit 64 before doing anything", (args, message) => {
    const run = airlockSync(args);
    expect(run.stderr).toContain(message);
    expect(run.status).toBe(64);
  });

  // Each command with every flag it declares: none may be dropped by its schema (`deny --reason` once was).
  const digest = "a".repeat(64);
  it.each([
    ["approve", "r_1", "--comment", "ok", "--digest", digest, ...server],
    ["deny", "r_1", "--reason", "not now", "--digest", digest, ...server],
    ["cancel", "r_1", "--comment", "gone", ...server],
    ["wait", "r_1", "--timeout", "1", ...server],
    ["requests", "--status", "pending", "--json", ...server],
    ["pause", "--agent", "kiro-7", "--reason", "x", ...server],
    ["pause", "--on-behalf-of", "alice", ...server],
    ["pause", "--env", "production", ...server],
    ["pause", "--all", ...server],
    ["resume", "--agent", "kiro-7", "--reason", "x", ...server],
    ["pauses", ...server],
    ["breakers", ...server],
    ["breakers", "reset", "deletes", "--scope", "all", "--reason", "x", ...server],
    ["freeze", "--env", "production", "--until", "2030-01-01T00:00Z", "--reason", "x", ...server],
    ["unfreeze", "--env", "production", "--reason", "x", ...server],
    ["freezes", ...server],
  ])(
    "reads every flag of %s … (the server is unreachable, so it fails later, not on its options)",
    (...args) => {
      const run = airlockSync(args);
      expect(run.stderr).not.toContain("not read by this command");
      expect(run.status).not.toBe(64);
    },
  );

  it("exports the audit log from an index given as a number, and refuses one that is not", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "airlock-options-")), "data");
    for (const name of ["bob", "carol"]) makeToken(dataDir, ["--name", name, "--role", "approver"]);
    const all = airlockSync(["audit", "export", "--data-dir", dataDir]);
    const later = airlockSync(["audit", "export", "--data-dir", dataDir, "--from", "1"]);
    expect(all.status, all.stderr).toBe(0);
    const lines = all.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(later.stdout.trim().split("\n")).toEqual(lines.slice(1));
    const wrong = airlockSync(["audit", "export", "--data-dir", dataDir, "--from", "first"]);
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain("airlock audit export: --from: a whole number, 0 or more");
  });
});
