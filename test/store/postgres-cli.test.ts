import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/ingress/http/config.js";
import { createDatabase, dropDatabase, urlOf } from "./postgres-harness.js";

const BIN = new URL("../../bin/airlock.mjs", import.meta.url).pathname;
let db = "";
let dir = "";

beforeAll(async () => {
  db = await createDatabase("cli");
  dir = mkdtempSync(join(tmpdir(), "airlock-pg-cli-"));
});

afterAll(async () => {
  await dropDatabase(db);
});

function airlock(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, AIRLOCK_CONFIG: "", AIRLOCK_STORE: "", AIRLOCK_DATA_DIR: join(dir, "data") },
  });
}

describe("the commands that open the store, on PostgreSQL", () => {
  it("writes tokens into the database and verifies its log, through --store", () => {
    const store = ["--store", urlOf(db)];
    const made = airlock(
      "token",
      "create",
      "--name",
      "kiro-7",
      "--role",
      "agent",
      "--on-behalf-of",
      "alice",
      ...store,
    );
    expect(made.stderr).toMatch(/token for kiro-7 \(agent, acting for alice\) created/);
    expect(made.status).toBe(0);
    const revoked = airlock("token", "revoke", "kiro-7", ...store);
    expect(revoked.status, revoked.stderr).toBe(0);
    const verified = airlock("audit", "verify", "--key", join(dir, "data", "audit-verifier.key"), ...store);
    expect(verified.stdout).toMatch(/audit log verified: 2 entries/);
    expect(verified.status).toBe(0);
    const exported = airlock("audit", "export", ...store);
    expect(
      exported.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).entry.type),
    ).toEqual(["token.created", "token.revoked"]);
  });
});

describe("the store in airlock.yaml", () => {
  const base = () => mkdtempSync(join(tmpdir(), "airlock-store-config-"));
  function config(text: string, env: NodeJS.ProcessEnv = {}, store?: string) {
    const at = base();
    writeFileSync(join(at, "airlock.yaml"), text);
    writeFileSync(join(at, "pw"), "from-a-file\n");
    return loadServerConfig({ config: join(at, "airlock.yaml"), ...(store ? { store } : {}) }, env).store;
  }

  it("is SQLite in the data directory unless a PostgreSQL URL is named", () => {
    expect(config("version: 1\n").kind).toBe("sqlite");
    expect(config("version: 1\nstore: sqlite\n").kind).toBe("sqlite");
  });

  it("reads the password from the environment variable or the file it names, never from the URL", () => {
    const url = "postgres://airlock@db.internal:5432/airlock";
    expect(config(`version: 1\nstore:\n  url: ${url}\n  passwordEnv: PW\n`, { PW: "s3cret" })).toEqual({
      kind: "postgres",
      url,
      password: "s3cret",
    });
    expect(config(`version: 1\nstore:\n  url: ${url}\n  passwordFile: pw\n`)).toMatchObject({
      password: "from-a-file",
    });
    expect(config(`version: 1\nstore: ${url}\n`, { AIRLOCK_STORE_PASSWORD: "x" })).toMatchObject({
      password: "x",
    });
    expect(() => config("version: 1\nstore: postgres://airlock:hunter2@db/airlock\n")).toThrow(
      /not in the URL/,
    );
    expect(() => config(`version: 1\nstore:\n  url: ${url}\n  passwordEnv: NOPE\n`)).toThrow(
      /NOPE is not set/,
    );
  });

  it("takes --store over the file", () => {
    expect(config("version: 1\nstore: sqlite\n", {}, "postgres://a@b/c")).toMatchObject({ kind: "postgres" });
  });
});
