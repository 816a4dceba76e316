import { hash, randomBytes } from "node:crypto";
import type { Store, TokenRecord } from "../store/port.js";
import type { Identity } from "./identity.js";

/** Tokens say what they are for at a glance (and to secret scanners): `alk_` + 32 random bytes. */
const PREFIX = "alk_";

export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}

export function newToken(): string {
  return PREFIX + randomBytes(32).toString("base64url");
}

/**
 * The identity a bearer token stands for, or undefined for an unknown or revoked token. Where the
 * configuration declares the name, its role and groups win over what was recorded when the token was
 * made: taking someone out of a group in the configuration takes effect at once. When the configuration
 * declares any identity, it is the list of who may call at all: a token whose name it does not declare
 * (someone removed from airlock.yaml) has no access, whatever role it recorded. Only with no identities
 * declared does the role recorded in the token stand on its own.
 */
export async function resolveToken(
  store: Store,
  token: string,
  declared: ReadonlyMap<string, Identity>,
): Promise<Identity | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined;
  return resolveTokenHash(store, hashToken(token), declared);
}

/** The same for a token known by its hash: a page session keeps the hash of the token it was opened with. */
export async function resolveTokenHash(
  store: Store,
  tokenHash: string,
  declared: ReadonlyMap<string, Identity>,
): Promise<Identity | undefined> {
  const record: TokenRecord | undefined = await store.findToken(tokenHash);
  if (!record || record.revokedAt) return undefined;
  if (declared.size === 0) return record.identity;
  return declared.get(record.identity.name);
}

/**
 * Make a token for an identity and record it (the hash only) with its audit entry in one commit.
 * The token is returned once; it cannot be read back.
 */
export async function issueToken(store: Store, identity: Identity, by: string): Promise<string> {
  const token = newToken();
  const createdAt = new Date().toISOString();
  await store.commit({
    token: { hash: hashToken(token), identity, createdAt },
    audit: [{ type: "token.created", time: createdAt, by, identity }],
  });
  return token;
}

/** Revoke every token of a name, with its audit entry. */
export async function revokeTokens(store: Store, name: string, by: string): Promise<void> {
  await store.commit({
    revokeTokensOf: name,
    audit: [{ type: "token.revoked", time: new Date().toISOString(), by, name }],
  });
}
