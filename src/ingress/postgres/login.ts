import { isIP } from "node:net";
import type { Identity } from "../../approvals/identity.js";
import { resolveToken } from "../../approvals/tokens.js";
import type { Store } from "../../store/port.js";
import type { PostgresDatabase } from "./config.js";
import { authentication, type ErrorFields, SQLSTATE } from "./replies.js";
import type { SocketPull } from "./socket-pull.js";
import { BodyReader } from "./wire.js";

export type LoginResult =
  | { ok: true; agent: Identity; database: PostgresDatabase }
  | { ok: false; error: ErrorFields; audit: string };

export interface LoginContext {
  store: Store;
  identities: ReadonlyMap<string, Identity>;
  databases: ReadonlyMap<string, PostgresDatabase>;
}

/**
 * The agent logs in as its identity name with its airlock token as the password. The token is a
 * bearer secret, as on the HTTP API, and the store keeps only its SHA-256, so it is asked for in
 * cleartext (AuthenticationCleartextPassword), and only inside TLS or over loopback, where nobody can
 * read it on the way; SCRAM would need a second, password-equivalent verifier stored per token.
 */
export async function login(
  ctx: LoginContext,
  pull: SocketPull,
  startup: { tls: boolean; user: string; database: string },
): Promise<LoginResult> {
  const fatal = (code: string, message: string, audit: string): LoginResult => ({
    ok: false,
    error: { code, message, severity: "FATAL" },
    audit,
  });
  if (!startup.tls && !isLoopback(pull.socket.remoteAddress))
    return fatal(
      SQLSTATE.invalidAuthorization,
      "airlock takes the token only over TLS: connect with sslmode=require",
      "token offered without TLS from a non-loopback address",
    );
  pull.socket.write(authentication(3));
  const m = await pull.message();
  if (m.type !== "p")
    return fatal(SQLSTATE.protocolViolation, "expected a password message", "no password message");
  const token = new BodyReader(m.body).cstring();
  const agent = await resolveToken(ctx.store, token, ctx.identities);
  const failed = `password authentication failed for user "${startup.user}"`;
  if (!agent) return fatal(SQLSTATE.invalidPassword, failed, "unknown or revoked token");
  if (agent.name !== startup.user)
    return fatal(SQLSTATE.invalidPassword, failed, `the token is ${agent.name}'s, not ${startup.user}'s`);
  if (agent.role !== "agent")
    return fatal(
      SQLSTATE.invalidAuthorization,
      `${agent.name} is ${agent.role}; only agent identities connect through the proxy`,
      "not an agent",
    );
  const database = ctx.databases.get(startup.database);
  if (!database)
    return fatal(
      SQLSTATE.unknownDatabase,
      `database "${startup.database}" is not one airlock proxies (declared: ${[...ctx.databases.keys()].join(", ") || "none"})`,
      `unknown database ${startup.database}`,
    );
  return { ok: true, agent, database };
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return (isIP(v4) === 4 && v4.startsWith("127.")) || address === "::1";
}
