import { createHash } from "node:crypto";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { UpstreamTarget } from "./config.js";
import { readErrorFields } from "./replies.js";
import { ScramClient } from "./scram-client.js";
import { SocketPull } from "./socket-pull.js";
import { BodyReader, cstring, int32, type Message, message, untyped } from "./wire.js";

/** Large enough for a DataRow of any real row; the relay streams, it never holds more than one. */
export const MAX_UPSTREAM_MESSAGE = 1024 * 1024 * 1024;

export interface UpstreamSession {
  pull: SocketPull;
  /** ParameterStatus messages as the upstream sent them, to pass on to the client. */
  parameterStatus: Buffer[];
  pid: number;
  secret: number;
  status: "I" | "T" | "E";
}

/** The upstream refused or failed: `fields` holds its ErrorResponse, when it sent one. */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(
    message: string,
    readonly fields?: Map<string, string>,
  ) {
    super(message);
  }
}

/** Open a socket to the upstream, TLS as its sslmode asks. */
export async function openSocket(target: UpstreamTarget): Promise<Socket> {
  const plain = netConnect({ host: target.host, port: target.port });
  plain.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    plain.once("connect", resolve);
    plain.once("error", (err) =>
      reject(new UpstreamError(`cannot reach ${target.host}:${target.port}: ${err.message}`)),
    );
  });
  if (target.sslmode === "disable") return plain;
  plain.write(untyped(int32(80877103)));
  const answer = await new Promise<string>((resolve, reject) => {
    plain.once("data", (b: Buffer) => resolve(b.toString("latin1", 0, 1)));
    plain.once("error", reject);
  });
  if (answer !== "S") {
    if (target.sslmode === "prefer") return plain;
    plain.destroy();
    throw new UpstreamError(
      `the upstream ${target.host}:${target.port} does not offer TLS (sslmode=${target.sslmode})`,
    );
  }
  const secured = tlsConnect({
    socket: plain,
    // SNI names a host, never an address (RFC 6066); an address is still checked against the certificate.
    ...(isIP(target.host) ? {} : { servername: target.host }),
    rejectUnauthorized: target.sslmode === "verify-full",
    ...(target.rootCert ? { ca: target.rootCert } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    secured.once("secureConnect", resolve);
    secured.once("error", (err) => reject(new UpstreamError(`TLS to the upstream failed: ${err.message}`)));
  });
  return secured;
}

/** Connect and log in with the configured credentials; resolves at the upstream's first ReadyForQuery. */
export async function connectUpstream(
  target: UpstreamTarget,
  params: Map<string, string>,
): Promise<UpstreamSession> {
  const socket = await openSocket(target);
  const pull = new SocketPull(socket, MAX_UPSTREAM_MESSAGE);
  try {
    const startup = [["user", target.user], ["database", target.database], ...params.entries()];
    socket.write(
      untyped(
        int32(3 << 16),
        ...startup.flatMap(([k, v]) => [cstring(k ?? ""), cstring(v ?? "")]),
        Buffer.from([0]),
      ),
    );
    const session: UpstreamSession = { pull, parameterStatus: [], pid: 0, secret: 0, status: "I" };
    let scram: ScramClient | undefined;
    for (;;) {
      const m = await pull.message();
      if (m.type === "R") scram = authenticate(socket, m, target, scram);
      else if (m.type === "S") session.parameterStatus.push(Buffer.from(m.raw));
      else if (m.type === "K") {
        session.pid = m.body.readInt32BE(0);
        session.secret = m.body.readInt32BE(4);
      } else if (m.type === "E")
        throw new UpstreamError("the upstream refused the login", readErrorFields(m.body));
      else if (m.type === "Z") {
        session.status = m.body.toString("latin1", 0, 1) as UpstreamSession["status"];
        return session;
      }
      // NoticeResponse and NegotiateProtocolVersion during startup are not for the agent.
    }
  } catch (err) {
    socket.destroy();
    throw err instanceof UpstreamError
      ? err
      : new UpstreamError(`the upstream login failed: ${(err as Error).message}`);
  }
}

function authenticate(
  socket: Socket,
  m: Message,
  target: UpstreamTarget,
  scram: ScramClient | undefined,
): ScramClient | undefined {
  const reader = new BodyReader(m.body);
  const code = reader.int32();
  const password = (): string => {
    if (target.password === undefined)
      throw new UpstreamError(
        "the upstream asks for a password and the configuration names none (passwordEnv or passwordFile)",
      );
    return target.password;
  };
  if (code === 0) return scram;
  if (code === 3) socket.write(message("p", cstring(password())));
  else if (code === 5) {
    const inner = createHash("md5")
      .update(password() + target.user)
      .digest("hex");
    const outer = createHash("md5")
      .update(Buffer.concat([Buffer.from(inner), reader.bytes(4)]))
      .digest("hex");
    socket.write(message("p", cstring(`md5${outer}`)));
  } else if (code === 10) {
    const mechanisms: string[] = [];
    for (let name = reader.cstring(); name !== ""; name = reader.cstring()) mechanisms.push(name);
    if (!mechanisms.includes("SCRAM-SHA-256"))
      throw new UpstreamError(
        `the upstream offers only ${mechanisms.join(", ")}; airlock speaks SCRAM-SHA-256`,
      );
    const client = new ScramClient(password());
    const first = Buffer.from(client.first());
    socket.write(message("p", cstring("SCRAM-SHA-256"), int32(first.length), first));
    return client;
  } else if (code === 11 && scram)
    socket.write(message("p", Buffer.from(scram.final(m.body.toString("utf8", 4)))));
  else if (code === 12 && scram) scram.verify(m.body.toString("utf8", 4));
  else
    throw new UpstreamError(
      `the upstream asks for authentication method ${code}, which airlock does not speak`,
    );
  return scram;
}
