import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnCluster, startOwnCluster } from "./cluster.js";
import { agentToken, type ProxyServer, psql, startProxy } from "./harness.js";

/**
 * Towards the upstream: TLS (sslmode=require) with SCRAM-SHA-256, MD5 without TLS, a wrong password,
 * and a server that insists on TLS reached without it. The machine's shared cluster has trust
 * authentication and no TLS, so these run against a cluster of the test's own.
 */
let cluster: OwnCluster;
let server: ProxyServer;
let token: string;

beforeAll(async () => {
  cluster = await startOwnCluster({
    superPassword: "svc-secret",
    hba: [
      "hostssl all svc 127.0.0.1/32 scram-sha-256",
      "hostnossl all svc 127.0.0.1/32 reject",
      "host all legacy 127.0.0.1/32 md5",
    ],
  });
  const admin = new pg.Client({
    host: "127.0.0.1",
    port: cluster.port,
    user: "svc",
    password: "svc-secret",
    database: "postgres",
    ssl: { rejectUnauthorized: false },
  });
  await admin.connect();
  try {
    await admin.query("CREATE DATABASE app");
    await admin.query("SET password_encryption = 'md5'");
    await admin.query("CREATE ROLE legacy LOGIN PASSWORD 'legacy-secret'");
  } finally {
    await admin.end();
  }
  process.env.AIRLOCK_TEST_SVC_PASSWORD = "svc-secret";
  process.env.AIRLOCK_TEST_LEGACY_PASSWORD = "legacy-secret";
  process.env.AIRLOCK_TEST_WRONG_PASSWORD = "not-the-secret";
  const at = `127.0.0.1:${cluster.port}/app`;
  server = await startProxy({
    databases: {
      secure: {
        upstream: `postgres://svc@${at}?sslmode=require`,
        passwordEnv: "AIRLOCK_TEST_SVC_PASSWORD",
      },
      legacy: {
        upstream: `postgres://legacy@${at}?sslmode=disable`,
        passwordEnv: "AIRLOCK_TEST_LEGACY_PASSWORD",
      },
      wrong: {
        upstream: `postgres://svc@${at}?sslmode=require`,
        passwordEnv: "AIRLOCK_TEST_WRONG_PASSWORD",
      },
      verified: {
        upstream: `postgres://svc@${at}?sslmode=verify-full&sslrootcert=${cluster.rootCert}`,
        passwordEnv: "AIRLOCK_TEST_SVC_PASSWORD",
      },
      unverified: {
        upstream: `postgres://svc@${at}?sslmode=verify-full`,
        passwordEnv: "AIRLOCK_TEST_SVC_PASSWORD",
      },
      plain: {
        upstream: `postgres://svc@${at}?sslmode=disable`,
        passwordEnv: "AIRLOCK_TEST_SVC_PASSWORD",
      },
    },
  });
  token = await agentToken(server);
});

afterAll(async () => {
  await server?.stop();
  cluster?.stop();
});

/** Who the upstream session is, and whether it is inside TLS, seen from the upstream itself. */
function upstreamSession(database: string): string {
  const run = psql(
    server,
    token,
    database,
    "SELECT current_user || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
  );
  expect(run.stderr).toBe("");
  return run.stdout.trim();
}

/** What psql is told when airlock cannot open the upstream. */
function refusal(database: string): string {
  const run = psql(server, token, database, "SELECT 1");
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain(`airlock cannot open the upstream database ${database}`);
  return run.stderr;
}

describe("the proxy's own login to the upstream", () => {
  it("logs in with SCRAM-SHA-256 inside TLS when the upstream asks for both", () => {
    expect(upstreamSession("secure")).toBe("svc true");
  });

  it("verifies the upstream's certificate against sslrootcert with verify-full, and refuses one it cannot verify", () => {
    expect(upstreamSession("verified")).toBe("svc true");
    expect(refusal("unverified")).toMatch(/TLS to the upstream failed: self[- ]signed certificate/);
  });

  it("logs in with MD5 without TLS", () => {
    expect(upstreamSession("legacy")).toBe("legacy false");
  });

  it("tells the agent the upstream refused airlock's password, without saying what it is", () => {
    const text = refusal("wrong");
    expect(text).toMatch(/password authentication failed for user "svc"/);
    expect(text).not.toContain("not-the-secret");
  });

  it("reports an upstream that insists on TLS reached without it", () => {
    expect(refusal("plain")).toMatch(/no encryption|rejects connection/);
  });
});
