import { spawn, spawnSync } from "node:child_process";
import { hash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { entries } from "../../approvals/monitor-fixtures.js";
import { startTestServer, until } from "./harness.js";

const DEFAULT_POLICY = new URL("../../../policies/default.yaml", import.meta.url).pathname;

/** Whether process `pid` holds `path` open. */
function holds(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * The policy file is read once: the SHA-256 recorded in config.loaded is of the text in force. The
 * policy is a FIFO, so every read gets what a writer sends then: the first read gets policy A; a
 * second read (the bug) would get policy B, and the log would describe a policy that is not in force.
 */
describe("the policy file at server start", () => {
  it("is read once, and config.loaded records the hash of the text in force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-policy-once-"));
    const fifo = join(dir, "policy.yaml");
    const mk = spawnSync("mkfifo", [fifo]);
    expect(mk.status, `mkfifo is needed (coreutils): ${mk.stderr}`).toBe(0);
    const a = readFileSync(DEFAULT_POLICY, "utf8");
    const b = `${a}\n# another policy text\n`;
    writeFileSync(join(dir, "a.yaml"), a);
    writeFileSync(join(dir, "b.yaml"), b);

    const first = spawn("sh", ["-c", `cat "${join(dir, "a.yaml")}" > "${fifo}"`]);
    const firstDone = new Promise((resolve) => first.once("exit", resolve));
    const serving = startTestServer({ policy: fifo });
    await firstDone;
    // Offer policy B only once the server has finished reading A and closed the FIFO.
    const pid = await until(async () => {
      const p = [...readdirSync("/proc")].filter((d) => /^\d+$/.test(d)).map(Number);
      return p.find((n) => {
        try {
          return readFileSync(`/proc/${n}/cmdline`, "utf8").includes(fifo) && !holds(n, fifo);
        } catch {
          return false;
        }
      });
    }, 5);
    expect(pid).toBeGreaterThan(0);
    const second = spawn("sh", ["-c", `cat "${join(dir, "b.yaml")}" > "${fifo}"`]);
    try {
      const server = await serving;
      await server.stop();
      const store = await SqliteStore.open(server.dataDir, { readonly: true });
      const loaded = (await entries(store))
        .map((e) => e as { type: string; config?: { policy: { sha256: string } } })
        .find((e) => e.type === "config.loaded");
      await store.close();
      expect(loaded?.config?.policy.sha256).toBe(hash("sha256", a, "hex"));
    } finally {
      second.kill();
    }
  });
});
