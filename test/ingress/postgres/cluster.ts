import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A PostgreSQL cluster of the test's own (initdb into a temp directory, its own port), for what the
 * machine's shared cluster cannot show: TLS and password authentication towards the upstream. It
 * runs as the `postgres` system user (initdb refuses root), and `stop` removes only its directory.
 */
export interface OwnCluster {
  port: number;
  /** The server's self-signed certificate (for 127.0.0.1 and localhost): the CA to trust for verify-full. */
  rootCert: string;
  stop(): void;
}

const BIN = "/usr/lib/postgresql/15/bin";

function asPostgres(args: string[]): string {
  const run = spawnSync("runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8" });
  if (run.error || run.status !== 0)
    throw new Error(
      `${args[0]} failed (${run.error?.message ?? run.stderr}); the test needs PostgreSQL 15's server binaries in ${BIN} and a postgres system user (apt-get install postgresql-15)`,
    );
  return run.stdout;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no free port");
  return address.port;
}

/**
 * Start a cluster whose superuser `svc` logs in with SCRAM-SHA-256 over TLS only (hostssl), and
 * whose `hba` lines are given; `setup` runs as svc (over TLS) before the tests.
 */
export async function startOwnCluster(options: {
  superPassword: string;
  hba: string[];
}): Promise<OwnCluster> {
  const dir = mkdtempSync(join(tmpdir(), "airlock-pg-cluster-"));
  chmodSync(dir, 0o755);
  const data = join(dir, "data");
  const pwfile = join(dir, "pw");
  writeFileSync(pwfile, `${options.superPassword}\n`);
  execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const port = await freePort();
  asPostgres([
    `${BIN}/initdb`,
    "-D",
    data,
    "-U",
    "svc",
    "--auth=scram-sha-256",
    `--pwfile=${pwfile}`,
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  asPostgres([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout",
    join(data, "server.key"),
    "-out",
    join(data, "server.crt"),
  ]);
  chmodSync(join(data, "server.key"), 0o600);
  appendFileSync(
    join(data, "postgresql.conf"),
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nssl = on\nfsync = off\n`,
  );
  writeFileSync(join(data, "pg_hba.conf"), `${options.hba.join("\n")}\n`);
  execFileSync("chown", ["-R", "postgres:postgres", dir]);
  asPostgres([`${BIN}/pg_ctl`, "-D", data, "-l", join(dir, "log"), "-w", "start"]);
  return {
    port,
    rootCert: join(data, "server.crt"),
    stop: () => {
      spawnSync("runuser", ["-u", "postgres", "--", `${BIN}/pg_ctl`, "-D", data, "-m", "fast", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
