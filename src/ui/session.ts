import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Identity } from "../approvals/identity.js";
import { resolveTokenHash } from "../approvals/tokens.js";
import type { SessionRecord, Store } from "../store/port.js";

/**
 * Sessions of the approvers' page. The cookie carries a random id; the store keeps only its SHA-256,
 * the hash of the token the person signed in with (revoking the token ends the session), and the
 * session's CSRF token. A session lasts a working day and is never extended.
 */

export const SESSION_COOKIE = "airlock_session";
export const SESSION_HOURS = 8;

export interface Session {
  identity: Identity;
  csrf: string;
  expiresAt: string;
  /** The SHA-256 of the cookie, to end the session with. */
  hash: string;
}

export interface SessionDeps {
  store: Store;
  identities: ReadonlyMap<string, Identity>;
  clock?: () => number;
}

function sha256(text: string): string {
  return hash("sha256", text, "hex");
}

/** The request came over TLS, directly or through a proxy that says so. */
function overHttps(c: Context): boolean {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return new URL(c.req.url).protocol === "https:" || forwarded === "https";
}

/** Open a session for the identity behind `tokenHash` and set its cookie. */
export async function startSession(
  c: Context,
  deps: SessionDeps,
  identity: Identity,
  tokenHash: string,
): Promise<void> {
  const now = deps.clock?.() ?? Date.now();
  const id = randomBytes(32).toString("base64url");
  const record: SessionRecord = {
    hash: sha256(id),
    name: identity.name,
    tokenHash,
    csrf: randomBytes(32).toString("base64url"),
    expiresAt: new Date(now + SESSION_HOURS * 3600_000).toISOString(),
  };
  await deps.store.createSession(record);
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: overHttps(c),
    maxAge: SESSION_HOURS * 3600,
  });
}

/**
 * The session the request's cookie names, if it is live: known, not expired, and its token neither
 * revoked nor now an agent's. Otherwise undefined (and an expired session is removed).
 */
export async function currentSession(c: Context, deps: SessionDeps): Promise<Session | undefined> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 100) return undefined;
  const record = await deps.store.findSession(sha256(id));
  if (!record) return undefined;
  if (Date.parse(record.expiresAt) <= (deps.clock?.() ?? Date.now())) {
    await deps.store.deleteSession(record.hash);
    return undefined;
  }
  const identity = await resolveTokenHash(deps.store, record.tokenHash, deps.identities);
  if (!identity || identity.role === "agent" || identity.name !== record.name) return undefined;
  return { identity, csrf: record.csrf, expiresAt: record.expiresAt, hash: record.hash };
}

export async function endSession(c: Context, deps: SessionDeps, session: Session | undefined): Promise<void> {
  if (session) await deps.store.deleteSession(session.hash);
  deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Strict", secure: overHttps(c) });
}

/** The form's CSRF token is the session's own, compared in constant time. */
export function csrfMatches(session: Session, sent: unknown): boolean {
  if (typeof sent !== "string") return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
