import { hash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import type { Identity } from "../../src/approvals/identity.js";
import { ApprovalService } from "../../src/approvals/service.js";
import { issueToken } from "../../src/approvals/tokens.js";
import { Checkpointer } from "../../src/audit/checkpointer.js";
import { loadOrCreateSigner } from "../../src/audit/keys.js";
import type { AppEnv } from "../../src/ingress/http/auth.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { mountPages } from "../../src/ui/pages.js";

export const DELETE_STACK = {
  kind: "aws",
  action: "cloudformation:DeleteStack",
  params: { StackName: "cost-explorer-prod" },
  intent: "fix a minor bug by recreating the stack",
};

export const people = {
  kiro: { name: "kiro", role: "agent", groups: [], onBehalfOf: "alice" },
  alice: { name: "alice", role: "approver", groups: ["sre"] },
  bob: { name: "bob", role: "approver", groups: ["sre"] },
  carol: { name: "carol", role: "approver", groups: ["dba"] },
  root: { name: "root", role: "admin", groups: [] },
} satisfies Record<string, Identity>;

let policy: CompiledPolicy | undefined;

/** The pages on a Hono app of their own, over a fresh SQLite store, with a clock the test moves. */
export async function pagesFixture(options: { verifierKey?: string } = {}) {
  policy ??= await loadPolicy();
  const dir = mkdtempSync(join(tmpdir(), "airlock-ui-"));
  const store = await SqliteStore.open(dir);
  const clock = { now: Date.now() };
  const service = new ApprovalService({
    store,
    policy,
    publicUrl: () => "http://airlock.test",
    clock: () => clock.now,
  });
  const signer = loadOrCreateSigner(dir, "airlock.test/ui");
  const checkpointer = new Checkpointer(store, signer.signerKey);
  const app = new Hono<AppEnv>();
  const verifierKey = options.verifierKey ?? signer.verifierKey;
  const deps = { service, store, verifierKey, identities: new Map(), clock: () => clock.now };
  mountPages(app, deps);
  const tokens: Record<keyof typeof people, string> = {
    kiro: await issueToken(store, people.kiro, "test"),
    alice: await issueToken(store, people.alice, "test"),
    bob: await issueToken(store, people.bob, "test"),
    carol: await issueToken(store, people.carol, "test"),
    root: await issueToken(store, people.root, "test"),
  };
  return { app, store, service, clock, checkpointer, signer, tokens, deps };
}

export type Fixture = Awaited<ReturnType<typeof pagesFixture>>;

export function sha256(text: string): string {
  return hash("sha256", text, "hex");
}

const SAME_SITE = { origin: "http://localhost", "sec-fetch-site": "same-origin" };

export function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", ...SAME_SITE, ...headers },
  };
}

/** Sign in through the form; the session's cookie header and the CSRF token its pages carry. */
export async function signIn(f: Fixture, who: keyof typeof people) {
  const res = await f.app.request("/login", form({ token: f.tokens[who] }));
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const page = await (await f.app.request("/requests", { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return { cookie, csrf, status: res.status };
}
