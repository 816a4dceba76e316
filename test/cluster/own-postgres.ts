import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

const BIN_DIR = process.env.AIRLOCK_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/**
 * A PostgreSQL cluster of the test's own: initdb into a fresh temporary directory, its own free
 * port, started and stopped with pg_ctl (as the `postgres` user when the test runs as root, which
 * PostgreSQL refuses to run as). Only this cluster is ever stopped or restarted by a test, never the
 * machine's; `destroy` stops it and removes only the directory it created.
 */
export interface OwnPostgres {
  port: number;
  url(database: string): string;
  /** Stop at once, as a crash would (`-m immediate`: no checkpoint, recovery from the WAL at start). */
  stop(): void;
  /** Start again on the same port; resolves once it accepts connections (pg_ctl -w). */
  start(): void;
  destroy(): void;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  for (const tool of ["initdb", "pg_ctl"])
    if (!existsSync(join(BIN_DIR, tool)))
      throw new Error(
        `${join(BIN_DIR, tool)} is missing: install PostgreSQL 15's server (\`apt-get install postgresql-15\`) or set AIRLOCK_PG_BIN to its bin directory`,
      );
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "airlock-own-pg-"));
  const data = join(dir, "data");
  const owner = root ? pgUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = (tool: string, args: string[]) => {
    const command = root
      ? ["runuser", "-u", "postgres", "--", join(BIN_DIR, tool), ...args]
      : [join(BIN_DIR, tool), ...args];
    const run = spawnSync(command[0] as string, command.slice(1), { encoding: "utf8", cwd: dir });
    if (run.status !== 0)
      throw new Error(`${tool} ${args.join(" ")} failed (${run.status}): ${run.stdout}${run.stderr}`);
  };
  as("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`;
  const start = () => as("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", options, "-w", "start"]);
  start();
  let destroyed = false;
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: () => as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    start,
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      spawnSync(root ? "runuser" : join(BIN_DIR, "pg_ctl"), [
        ...(root ? ["-u", "postgres", "--", join(BIN_DIR, "pg_ctl")] : []),
        "-D",
        data,
        "-m",
        "immediate",
        "-w",
        "stop",
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error(
      `running as ${userInfo().username}: a postgres user is needed to run PostgreSQL (apt-get install postgresql-15)`,
    );
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
