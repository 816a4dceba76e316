import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Fixture, form, pagesFixture, people, signIn } from "./fixture.js";

let f: Fixture;

beforeEach(async () => {
  f = await pagesFixture();
});

afterEach(async () => {
  await f.store.close();
});

const page = async (path: string, cookie: string) =>
  (await f.app.request(path, { headers: { cookie } })).text();
const post = (
  path: string,
  cookie: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) => f.app.request(path, form(fields, { cookie, ...headers }));

describe("the kill switch on the page", () => {
  it("lets an admin pause an agent after a confirmation step, and resume it the same way", async () => {
    const root = await signIn(f, "root");
    expect(await page("/pauses", root.cookie)).toContain("Nothing is paused.");

    const asked = await post("/pauses/confirm", root.cookie, {
      csrf: root.csrf,
      verb: "pause",
      kind: "agent",
      name: "kiro",
      reason: "runaway loop",
    });
    expect(asked.status).toBe(200);
    const confirm = await asked.text();
    expect(confirm).toContain("Pause agent kiro?");
    expect(confirm).toContain('name="confirm" value="yes"');
    // Asking is not doing.
    expect(await f.service.monitor.pauses()).toEqual([]);

    const done = await post("/pauses/apply", root.cookie, {
      csrf: root.csrf,
      verb: "pause",
      scope: "agent:kiro",
      reason: "runaway loop",
      confirm: "yes",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/pauses?done=pause");
    expect(await f.service.monitor.pauses()).toMatchObject([
      { scope: "agent:kiro", by: "root", reason: "runaway loop" },
    ]);
    const listed = await page("/pauses?done=pause", root.cookie);
    expect(listed).toContain("agent kiro");
    expect(listed).toContain("Resume…");
    expect((await f.service.submit({ kind: "shell", command: "rm -rf /tmp/x" }, people.kiro)).code).toBe(
      "paused",
    );

    const resumeAsked = await post("/pauses/confirm", root.cookie, {
      csrf: root.csrf,
      verb: "resume",
      scope: "agent:kiro",
    });
    expect(await resumeAsked.text()).toContain("Resume agent kiro?");
    await post("/pauses/apply", root.cookie, {
      csrf: root.csrf,
      verb: "resume",
      scope: "agent:kiro",
      confirm: "yes",
    });
    expect(await f.service.monitor.pauses()).toEqual([]);
  });

  it("applies nothing without the confirmation, a matching CSRF token, or an admin", async () => {
    const root = await signIn(f, "root");
    const alice = await signIn(f, "alice");
    const fields = { verb: "pause", scope: "all", confirm: "yes" };
    expect(
      (await post("/pauses/apply", root.cookie, { ...fields, confirm: "no", csrf: root.csrf })).status,
    ).toBe(200);
    expect((await post("/pauses/apply", root.cookie, { ...fields, csrf: "forged" })).status).toBe(403);
    expect(
      (
        await post(
          "/pauses/apply",
          root.cookie,
          { ...fields, csrf: root.csrf },
          { "sec-fetch-site": "cross-site" },
        )
      ).status,
    ).toBe(403);
    expect((await post("/pauses/apply", alice.cookie, { ...fields, csrf: alice.csrf })).status).toBe(403);
    expect(
      (await post("/pauses/confirm", root.cookie, { verb: "pause", kind: "agent", csrf: root.csrf })).status,
    ).toBe(400);
    expect(await f.service.monitor.pauses()).toEqual([]);
  });

  it("shows approvers the pauses in force, without the controls", async () => {
    await f.service.monitor.pause("env:production", "root", "incident <4711>");
    const alice = await signIn(f, "alice");
    const listed = await page("/pauses", alice.cookie);
    expect(listed).toContain("environment production");
    expect(listed).toContain("incident &lt;4711&gt;");
    expect(listed).not.toContain("Resume…");
    expect(listed).toContain("Only an admin pauses and resumes.");
  });
});
