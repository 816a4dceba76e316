import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  makeToken,
  policyWithDelay,
  startTestServer,
  type TestServer,
} from "../ingress/http/harness.js";
import { DELETE_STACK } from "./fixture.js";

/**
 * The approvers' page in a real browser (Debian's chromium, driven by playwright-core) against a real
 * `airlock serve`: an agent's deletion of the production stack is held; its own person is told she
 * cannot vote; two approvers, each in a browser of their own, approve it; the page counts down the
 * mandatory wait and shows the release; the identical action is then allowed once.
 */
const CHROMIUM = process.env.AIRLOCK_CHROMIUM ?? "/usr/bin/chromium";
const DELAY = 5;

let server: TestServer;
let browser: Browser;
const tokens: Record<string, string> = {};
/** Anything the browser complains about (a CSP violation, a failed script) fails the test. */
const complaints: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-ui-e2e-"));
  const dataDir = join(dir, "data");
  tokens.kiro = makeToken(dataDir, ["--name", "kiro", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.alice = makeToken(dataDir, ["--name", "alice", "--role", "approver", "--group", "sre"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver", "--group", "sre"]);
  tokens.carol = makeToken(dataDir, ["--name", "carol", "--role", "approver", "--group", "dba"]);
  server = await startTestServer({ dataDir, policy: policyWithDelay(dir, DELAY) });
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: run \`npm test\` (it installs Debian's chromium as root), ` +
        "or `sudo apt-get install chromium`, or set AIRLOCK_CHROMIUM to a Chromium binary",
    );
  // playwright gives every launch a fresh, temporary profile directory.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A browser of this person's own (no shared cookies), signed in through the form, at `url`. */
async function signedInAt(who: string, url: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1180, height: 900 } })).newPage();
  page.on("console", (m) => {
    if (m.type() === "error") complaints.push(`${who}: ${m.text()}`);
  });
  page.on("pageerror", (e) => complaints.push(`${who}: ${e.message}`));
  await page.goto(url);
  expect(new URL(page.url()).pathname).toBe("/login");
  await page.fill("#token", tokens[who] ?? "");
  await page.click("button[type=submit]");
  await page.waitForURL(url);
  return page;
}

async function approveAs(page: Page, comment: string): Promise<void> {
  await page.fill("form.vote textarea", comment);
  await page.click("button.approve");
  await page.waitForSelector(".flash.done");
}

describe("the approvers' page in a real browser", () => {
  it("takes a held deletion through two approvals, the wait and the release", async () => {
    const held = await call(server, "POST", "/v1/actions", tokens.kiro, DELETE_STACK);
    expect(held.json).toMatchObject({ decision: "hold", request: { status: "pending" } });
    const url = (held.json.request as { url: string }).url;

    const alice = await signedInAt("alice", url);
    expect(await alice.textContent("article")).toContain("Someone else must review this");
    expect(await alice.locator("button.approve").count()).toBe(0);

    const bob = await signedInAt("bob", url);
    const card = await bob.textContent("article");
    for (const words of [
      "Delete stack cost-explorer-prod",
      "fix a minor bug by recreating the stack",
      "cannot be undone",
    ]) {
      expect(card).toContain(words);
    }
    expect(card).toContain("0 of 2 approvals");
    await approveAs(bob, "checked with the cost team");
    expect(await bob.textContent("article")).toContain("1 of 2 approvals");

    const carol = await signedInAt("carol", url);
    expect(await carol.textContent("article")).toContain("bob approved");
    await approveAs(carol, "recreate it, then tell #finops");
    const wait = await carol.textContent(".wait");
    expect(wait).toContain("Mandatory wait: releasable in");
    const clock = carol.locator(".wait time.clock");
    const request = await call(
      server,
      "GET",
      `/v1/requests/${(held.json.request as { id: string }).id}`,
      tokens.kiro,
    );
    expect(await clock.getAttribute("data-until")).toBe(request.json.releasableAt);

    // The countdown reloads the page when the wait ends; no time limit but the test runner's.
    await carol.waitForSelector('article[data-status="approved"]', { timeout: 0 });
    expect(await carol.textContent("article")).toContain("it will be allowed once");
    await carol.screenshot({ path: join(server.dataDir, "approved.png"), fullPage: true });

    const released = await call(server, "POST", "/v1/actions", tokens.kiro, DELETE_STACK);
    expect(released.json).toMatchObject({ decision: "allow", code: "released" });
    const again = await call(server, "POST", "/v1/actions", tokens.kiro, DELETE_STACK);
    expect(again.json.decision).not.toBe("allow");

    await bob.goto(`${server.url}/history`);
    expect(await bob.textContent('tr[data-status="used"]')).toContain("Delete stack cost-explorer-prod");
    expect(complaints).toEqual([]);
  });
});
