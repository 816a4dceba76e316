import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cstring, int32, message, untyped } from "../../../src/ingress/postgres/wire.js";
import {
  agentToken,
  approverToken,
  createDatabase,
  direct,
  type ProxyServer,
  startProxy,
} from "./harness.js";
import { errorOf, query, WireClient } from "./wire-client.js";

/**
 * Malformed and hostile input, and an upstream that is down or restarts: each gets a clear error
 * (a Postgres ErrorResponse with its SQLSTATE), nothing reaches the upstream unjudged, and the
 * listener and the other connections carry on.
 */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
let token: string;

beforeAll(async () => {
  db = await createDatabase("airlock_badinput");
  await direct(db.name, (c) => c.query("CREATE TABLE t AS SELECT 1 AS id"));
  server = await startProxy({
    databases: {
      prod: {
        upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
        environment: "production",
      },
      down: {
        upstream: "postgres://postgres@127.0.0.1:1/nothing?sslmode=disable",
        environment: "production",
      },
    },
  });
  token = await agentToken(server);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const login = (params: Record<string, string> = {}, database = "prod", user = "kiro-7", password = token) =>
  WireClient.login(server.pgPort, user, password, database, params);

/** A healthy connection still works: the listener was not affected. */
async function stillServing(): Promise<void> {
  const { client } = await login();
  client.send(query("SELECT 41 + 1"));
  const replies = await client.until("Z");
  expect(replies.map((m) => m.type)).toEqual(["T", "D", "C", "Z"]);
  client.end();
}

describe("malformed and oversized messages", () => {
  it("ends a connection that sends a message with an impossible length, with 08P01", async () => {
    const { client } = await login();
    client.send(Buffer.from([0x51, 0, 0, 0, 2]));
    const replies = await client.until("\0");
    expect(errorOf(replies)).toMatchObject({ code: "08P01" });
    await stillServing();
  });

  it("refuses an oversized message from its header, without waiting for its body", async () => {
    const { client } = await login();
    client.send(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]));
    const replies = await client.until("\0");
    expect(errorOf(replies)).toMatchObject({ code: "08P01" });
    expect(errorOf(replies).message).toMatch(/over the limit/);
    await stillServing();
  });

  it("ends a connection that sends an unknown message type", async () => {
    const { client } = await login();
    client.send(message("Z", Buffer.from("I")));
    expect(errorOf(await client.until("\0"))).toMatchObject({ code: "08P01" });
  });

  it("refuses the fast-path function call and drops COPY data outside a COPY", async () => {
    const { client } = await login();
    client.send(message("d", Buffer.from("1\n")));
    client.send(message("F", int32(1255), Buffer.from([0, 0, 0, 0, 0, 0])));
    const replies = await client.until("Z");
    expect(errorOf(replies)).toMatchObject({ code: "0A000" });
    client.send(query("SELECT count(*) FROM t"));
    expect((await client.until("Z")).map((m) => m.type)).toEqual(["T", "D", "C", "Z"]);
    client.end();
  });
});

describe("odd startup", () => {
  it.each([
    [{ options: "-c role=postgres" }, "08004"],
    [{ role: "postgres" }, "08004"],
    [{ replication: "database" }, "08004"],
    [{ client_encoding: "SJIS" }, "0A000"],
  ])("refuses the startup parameters %j with %s", async (params, code) => {
    const { first } = await login(params);
    expect(errorOf(first)).toMatchObject({ code });
  });

  it("refuses a wrong token, another agent's token, an approver's token, and an unknown database", async () => {
    expect(errorOf((await login({}, "prod", "kiro-7", "alk_not-a-real-token")).first)).toMatchObject({
      code: "28P01",
    });
    const other = await agentToken(server, "other-agent", "bob");
    expect(errorOf((await login({}, "prod", "kiro-7", other)).first)).toMatchObject({ code: "28P01" });
    const approver = await approverToken(server, "carol");
    expect(errorOf((await login({}, "prod", "carol", approver)).first)).toMatchObject({ code: "28000" });
    expect(errorOf((await login({}, "nosuchdb")).first)).toMatchObject({ code: "3D000" });
  });

  it("refuses a startup packet that is too long, and an old protocol version", async () => {
    const long = await WireClient.open(server.pgPort);
    long.send(Buffer.concat([int32(20_000), int32(3 << 16)]));
    expect(errorOf(await long.until("\0"))).toMatchObject({ code: "08P01" });
    const old = await WireClient.open(server.pgPort);
    old.send(untyped(int32(2 << 16), cstring("user"), cstring("kiro-7"), Buffer.from([0])));
    expect(errorOf(await old.until("\0")).message).toMatch(/unsupported frontend protocol 2\.0/);
  });
});

describe("SSL negotiation games", () => {
  it("refuses bytes sent after SSLRequest before the handshake (CVE-2021-23214)", async () => {
    const c = await WireClient.open(server.pgPort);
    c.send(
      Buffer.concat([
        untyped(int32(80877103)),
        untyped(int32(3 << 16), cstring("user"), cstring("kiro-7"), Buffer.from([0])),
      ]),
    );
    const answer = await c.until("\0");
    expect(errorOf(answer.length > 0 ? answer : undefined).code ?? "closed").toMatch(/08P01|closed/);
    await stillServing();
  });

  it("answers GSSENCRequest with N, then takes an SSLRequest; a second SSLRequest inside TLS is refused", async () => {
    const c = await WireClient.open(server.pgPort);
    const byte = () =>
      new Promise<string>((resolve) => c.socket.once("data", (d: Buffer) => resolve(d.toString("latin1"))));
    let next = byte();
    c.send(untyped(int32(80877104)));
    expect(await next).toBe("N");
    next = byte();
    c.send(untyped(int32(80877103)));
    expect(await next).toBe("S");
    c.socket.removeAllListeners("data");
    const secured = tlsConnect({ socket: c.socket, rejectUnauthorized: false });
    secured.on("error", () => undefined);
    await new Promise<void>((resolve) => secured.once("secureConnect", () => resolve()));
    const got: Buffer[] = [];
    secured.on("data", (d: Buffer) => got.push(d));
    secured.write(untyped(int32(80877103)));
    await new Promise<void>((resolve) => secured.once("close", () => resolve()));
    expect(Buffer.concat(got).toString("latin1")).toMatch(/08P01.*already TLS/s);
    await stillServing();
  });
});

describe("the upstream down or restarting", () => {
  it("says the upstream cannot be reached, with 08001", async () => {
    const { first } = await login({}, "down");
    expect(errorOf(first)).toMatchObject({ code: "08001" });
    expect(errorOf(first).message).toMatch(/cannot open the upstream database down/);
    await stillServing();
  });

  it("ends the session with a clear error when the upstream backend goes away; new sessions work", async () => {
    const { client } = await login({ application_name: "airlock-restart-test" });
    await direct(db.name, (c) =>
      c.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'airlock-restart-test'",
      ),
    );
    const replies = await client.until("\0");
    expect(errorOf(replies).code).toMatch(/57P01|08006/);
    await stillServing();
  });
});

describe("the token in the clear", () => {
  it("is asked for only inside TLS or from loopback: a plain connection from another address is refused first", async () => {
    const address = networkInterfaces();
    const external = Object.values(address)
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    if (!external) throw new Error("this test needs a non-loopback IPv4 address on the machine");
    const wide = await startProxy({
      listen: "0.0.0.0:0",
      databases: { prod: { upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable` } },
    });
    try {
      const plain = await new Promise<Buffer>((resolve) => {
        const socket = connect({ host: external, port: wide.pgPort }, () => {
          socket.write(
            untyped(
              int32(3 << 16),
              cstring("user"),
              cstring("kiro-7"),
              cstring("database"),
              cstring("prod"),
              Buffer.from([0]),
            ),
          );
        });
        const got: Buffer[] = [];
        socket.on("data", (d: Buffer) => got.push(d));
        socket.on("close", () => resolve(Buffer.concat(got)));
      });
      expect(plain[0]).toBe(0x45); // an ErrorResponse, not an authentication request
      expect(plain.toString("latin1")).toMatch(/28000.*only over TLS: connect with sslmode=require/s);
    } finally {
      await wide.stop();
    }
  });
});
