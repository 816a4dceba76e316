import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { encodeEntry } from "../../../src/audit/entry.js";
import { leafHash } from "../../../src/audit/merkle.js";
import { generateSignerKey, verifierFromSigner } from "../../../src/audit/note.js";
import {
  airlockSync,
  BIN,
  call,
  makeToken,
  startTestServer,
  type TestServer,
  until,
  verifyAudit,
} from "./harness.js";

/**
 * The tamper trials of issue 11, against a real `airlock serve`: each edit of the store is found by
 * `audit verify` and stops the server from starting (and from signing the edited log).
 */
interface Served {
  dataDir: string;
  checkpoints: string;
  verifierKey: string;
  server: TestServer;
}

async function servedLog(actions = 25): Promise<Served> {
  const checkpoints = mkdtempSync(join(tmpdir(), "airlock-checkpoints-"));
  const server = await startTestServer({ args: ["--checkpoints", checkpoints] });
  const agent = makeToken(server.dataDir, ["--name", "bot", "--role", "agent", "--on-behalf-of", "ann"]);
  for (let i = 0; i < actions; i++) {
    const r = await call(server, "POST", "/v1/actions", agent, {
      kind: "shell",
      command: `kubectl --context prod delete pod api-${i}`,
      intent: `trial ${i}`,
    });
    expect(r.status).toBe(200);
  }
  return { dataDir: server.dataDir, checkpoints, verifierKey: server.verifierKey, server };
}

function db(dataDir: string): Database.Database {
  return new Database(join(dataDir, "airlock.db"));
}

type Row = { idx: number; entry: string };

/** Rewrite entries from `from` on (`edit` changes their fields) and re-chain every later one, as an attacker would. */
function rewriteAndRechain(dataDir: string, from: number, edit: (fields: Record<string, unknown>) => void) {
  const d = db(dataDir);
  const rows = d.prepare("SELECT idx, entry FROM audit_entries ORDER BY idx").all() as Row[];
  let prev = from === 0 ? "0".repeat(64) : leafHash((rows[from - 1] as Row).entry).toString("hex");
  const update = d.prepare("UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE idx = ?");
  for (const row of rows.slice(from)) {
    const { v: _v, index: _i, prev: _p, ...fields } = JSON.parse(row.entry) as Record<string, unknown>;
    if (row.idx === from) edit(fields);
    const bytes = encodeEntry(fields as never, row.idx, prev);
    update.run(bytes, leafHash(bytes), row.idx);
    prev = leafHash(bytes).toString("hex");
  }
  d.close();
}

function sql(dataDir: string, ...statements: string[]) {
  const d = db(dataDir);
  for (const s of statements) d.prepare(s).run();
  d.close();
}

function verify(log: Served, ...extra: string[]) {
  return verifyAudit(log, "--checkpoints", log.checkpoints, ...extra);
}

/** `airlock serve` over the log: it must refuse, with the code and exit status, and sign nothing. */
function restartRefused(log: Served) {
  const head = () => (existsSync(join(log.dataDir, "airlock.db")) ? headOf(log.dataDir) : undefined);
  const before = head();
  const run = spawnSync(
    process.execPath,
    [BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", log.dataDir, "--checkpoints", log.checkpoints],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(run.status, run.stderr).toBe(65);
  expect(run.stderr).toContain("[audit_tampered]");
  expect(run.stderr).toContain("Nothing was signed");
  expect(head()).toEqual(before);
  return run.stderr;
}

function headOf(dataDir: string) {
  const d = new Database(join(dataDir, "airlock.db"), { readonly: true });
  try {
    return d.prepare("SELECT size, note FROM audit_head").get();
  } finally {
    d.close();
  }
}

describe("an anchored audit log", () => {
  it("verifies, and says the unsigned tail is empty and what vouches for it", async () => {
    const log = await servedLog(5);
    expect(await log.server.stop()).toBe(0);
    const run = verify(log);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/audit log verified: \d+ entries/);
    expect(run.stdout).toContain("unsigned tail: 0 entries");
    // A restart over an intact log works, and the log still verifies after it.
    const again = await startTestServer({ dataDir: log.dataDir, args: ["--checkpoints", log.checkpoints] });
    const code = await again.stop();
    expect(code, again.stderr()).toBe(0);
    expect(verify(log).status).toBe(0);
  });

  it("refuses to verify with nothing trusted, and says what to pass", async () => {
    const log = await servedLog(1);
    await log.server.stop();
    const run = airlockSync(["audit", "verify", "--data-dir", log.dataDir]);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain("nothing trusted");
    for (const flag of ["--key", "--checkpoints", "--from"]) expect(run.stderr).toContain(flag);
    // An empty checkpoint directory vouches for nothing either.
    const empty = mkdtempSync(join(tmpdir(), "airlock-no-checkpoints-"));
    const none = airlockSync(["audit", "verify", "--data-dir", log.dataDir, "--checkpoints", empty]);
    expect(none.status).toBe(64);
    expect(none.stderr).toContain("holds no checkpoint");
  });

  it("finds an entry rewritten, the log re-chained and every checkpoint deleted from the database", async () => {
    const log = await servedLog();
    await log.server.stop();
    rewriteAndRechain(log.dataDir, 6, (f) => {
      f.intent = "nothing to see";
    });
    sql(log.dataDir, "DELETE FROM checkpoints", "DELETE FROM audit_head");
    const run = verify(log);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAILED verification/);
    expect(run.stdout).toMatch(/checkpoints were deleted from the store/);
    expect(run.stdout, run.stdout).toMatch(/does not match the log/);
    // It names the rewritten entry, or a range of entries that holds it, never an entry after it.
    const named = /FAILED verification (?:somewhere in entries (\d+)\.\.(\d+)|at entry (\d+))/.exec(
      run.stdout,
    );
    const [first, last] = named?.[3]
      ? [Number(named[3]), Number(named[3])]
      : [Number(named?.[1]), Number(named?.[2])];
    expect(first, run.stdout).toBeLessThanOrEqual(6);
    expect(last, run.stdout).toBeGreaterThanOrEqual(6);
    restartRefused(log);
  });

  it("finds a forged entry appended at the tail", async () => {
    const log = await servedLog();
    await log.server.stop();
    const d = db(log.dataDir);
    const tail = d.prepare("SELECT idx, entry FROM audit_entries ORDER BY idx DESC LIMIT 1").get() as Row;
    const bytes = encodeEntry(
      {
        type: "request.approved",
        time: new Date().toISOString(),
        requestId: "r_x",
        digest: "d".repeat(64),
        by: "mallory",
        count: 2,
        required: 2,
      },
      tail.idx + 1,
      leafHash(tail.entry).toString("hex"),
    );
    d.prepare("INSERT INTO audit_entries (idx, entry, leaf_hash) VALUES (?, ?, ?)").run(
      tail.idx + 1,
      bytes,
      leafHash(bytes),
    );
    d.close();
    const run = verify(log);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`entries ${tail.idx + 1}..${tail.idx + 1} are signed by no checkpoint`);
    expect(run.stdout).toContain("unsigned tail: 1 entries");
    restartRefused(log);
  });

  it("finds the tail cut off after a crash, with the head and checkpoints that covered it", async () => {
    const log = await servedLog();
    const { size } = headOf(log.dataDir) as { size: number };
    // The copy outside the store follows every commit, in the background.
    await until(async () => {
      const latest = join(log.checkpoints, "latest.checkpoint");
      return existsSync(latest) && readFileSync(latest, "utf8").split("\n")[1] === String(size)
        ? true
        : undefined;
    }, 20);
    await log.server.stop("SIGKILL");
    sql(
      log.dataDir,
      `DELETE FROM audit_entries WHERE idx >= ${size - 10}`,
      "DELETE FROM audit_head",
      `DELETE FROM checkpoints WHERE size > ${size - 10}`,
    );
    const run = verify(log);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`but the log has ${size - 10}`);
    restartRefused(log);
  });

  it("finds the checkpoints, and only they, deleted from the database", async () => {
    const log = await servedLog();
    await log.server.stop();
    sql(log.dataDir, "DELETE FROM checkpoints", "DELETE FROM audit_head");
    const run = verify(log);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/checkpoints were deleted from the store/);
    restartRefused(log);
  });

  it("finds the data directory's keys replaced", async () => {
    const log = await servedLog(3);
    await log.server.stop();
    const signer = generateSignerKey(log.verifierKey.split("+")[0] as string);
    writeFileSync(join(log.dataDir, "audit-signer.key"), `${signer}\n`);
    writeFileSync(join(log.dataDir, "audit-verifier.key"), `${verifierFromSigner(signer)}\n`);
    const run = verify(log);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("the data directory's verifier key");
    const byDataDirKey = verify({ ...log, verifierKey: verifierFromSigner(signer) });
    expect(byDataDirKey.status).toBe(1);
    expect(byDataDirKey.stdout).toMatch(/records the verifier key/);
    restartRefused(log);
  });
});
