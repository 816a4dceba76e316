import type { Socket } from "node:net";
import { type SecureContext, TLSSocket } from "node:tls";
import { SocketPull } from "./socket-pull.js";
import { BodyReader, ProtocolError } from "./wire.js";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 3 << 16;
/** Postgres's own limit for a startup packet. */
export const MAX_STARTUP_BYTES = 10_000;

export type Startup =
  | { kind: "startup"; pull: SocketPull; tls: boolean; params: Map<string, string>; minor: number }
  | { kind: "cancel"; pid: number; secret: number };

/**
 * The client's side of the connection until its StartupMessage: an SSLRequest is answered 'S' and
 * the socket becomes TLS; a GSSENCRequest is answered 'N'. Bytes sent after an SSLRequest before the
 * TLS handshake (an injection, CVE-2021-23214) and a second SSLRequest are protocol violations.
 */
export async function negotiate(
  socket: Socket,
  secure: SecureContext,
  current: { socket: Socket } = { socket },
): Promise<Startup> {
  let pull = new SocketPull(socket, MAX_STARTUP_BYTES);
  let tls = false;
  for (let round = 0; round < 3; round++) {
    const body = await pull.untyped();
    const code = body.readInt32BE(0);
    if (code === SSL_REQUEST) {
      if (tls) throw new ProtocolError("SSLRequest on a connection that is already TLS");
      if (body.length !== 4) throw new ProtocolError("malformed SSLRequest");
      const early = pull.release();
      if (early.length > 0) throw new ProtocolError("data sent after SSLRequest before the TLS handshake");
      pull.socket.write("S");
      const secured = new TLSSocket(pull.socket, { isServer: true, secureContext: secure });
      pull = new SocketPull(secured, MAX_STARTUP_BYTES);
      // Errors from now on are told inside TLS.
      current.socket = secured;
      tls = true;
      continue;
    }
    if (code === GSSENC_REQUEST) {
      if (body.length !== 4) throw new ProtocolError("malformed GSSENCRequest");
      pull.socket.write("N");
      continue;
    }
    if (code === CANCEL_REQUEST) {
      if (body.length !== 12) throw new ProtocolError("malformed CancelRequest");
      return { kind: "cancel", pid: body.readInt32BE(4), secret: body.readInt32BE(8) };
    }
    if (code >> 16 !== 3)
      throw new ProtocolError(
        `unsupported frontend protocol ${code >> 16}.${code & 0xffff}: airlock speaks 3.0`,
      );
    return { kind: "startup", pull, tls, params: startupParams(body), minor: code - PROTOCOL_3 };
  }
  throw new ProtocolError("too many negotiation requests before the startup message");
}

function startupParams(body: Buffer): Map<string, string> {
  const reader = new BodyReader(body.subarray(4));
  const params = new Map<string, string>();
  for (let i = 0; i < 64; i++) {
    const name = reader.cstring();
    if (name === "") {
      if (!reader.done) throw new ProtocolError("data after the end of the startup parameters");
      return params;
    }
    if (params.has(name)) throw new ProtocolError(`startup parameter ${name} given twice`);
    params.set(name, reader.cstring());
  }
  throw new ProtocolError("too many startup parameters");
}
