import * as z from "zod/mini";
import "../../action/zod.js";
import { Identity } from "./identity.js";

/** A bearer token of an identity. The token itself is never stored: only its SHA-256 (hex). */
export const TokenRecord = z.object({
  hash: z.string(),
  identity: Identity,
  createdAt: z.string(),
  revokedAt: z.optional(z.string()),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

/** A signed-in approver's page session. */
export const SessionRecord = z.object({
  /** SHA-256 (hex) of the session cookie's value. */
  hash: z.string(),
  name: z.string(),
  tokenHash: z.string(),
  csrf: z.string(),
  expiresAt: z.string(),
});
export type SessionRecord = z.infer<typeof SessionRecord>;
