import { chmodSync, lstatSync, mkdirSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { hookServer } from "../ingress/hooks/daemon.js";
import { text } from "./options.js";

/**
 * `airlock hook-daemon`: answers the fast hook client (bin/airlock-hook.sh) on a Unix socket. Only
 * its user can connect: the socket is 0600 in a 0700 directory the user owns (Node cannot read the
 * peer's uid, so the file permissions are the whole check).
 */

/** AIRLOCK_HOOK_SOCKET, else $XDG_RUNTIME_DIR/airlock/hook.sock, else ~/.cache/airlock/hook.sock (as the client). */
export function hookSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AIRLOCK_HOOK_SOCKET) return env.AIRLOCK_HOOK_SOCKET;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, "airlock", "hook.sock");
  return join(env.HOME || homedir(), ".cache", "airlock", "hook.sock");
}

/** The socket's directory, private to this user, or an error saying why it cannot be. */
function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  if (!info.isDirectory() || info.uid !== process.getuid?.())
    throw new Error(`${dir} is not a directory owned by this user`);
  if ((info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Whether a daemon answers on the socket: its health line, or undefined. */
export function daemonHealth(socket: string, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: "/v1/health", timeout: timeoutMs }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve(res.statusCode === 200 ? body.trim() : undefined));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/** This build's identity: when the bundle is rebuilt or upgraded, the daemon steps aside. */
function buildStamp(): string {
  try {
    const info = statSync(fileURLToPath(import.meta.url));
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return "gone";
  }
}

/** `airlock hook-daemon`'s flags as commander gives them. */
export const DaemonFlags = z.object({ socket: text });

export interface DaemonOptions {
  socket?: string;
  /** Exit after this many seconds without a call (0: never). The client starts it again when needed. */
  idleSeconds?: number;
}

/** How long a daemon the hook client started waits for calls: AIRLOCK_HOOK_DAEMON_IDLE_SECONDS, or 15 min. */
export function idleSecondsFrom(env: NodeJS.ProcessEnv): number {
  const asked = Number(env.AIRLOCK_HOOK_DAEMON_IDLE_SECONDS);
  return Number.isFinite(asked) && asked >= 0 ? asked : 900;
}

/** The socket's inode, if the path is still a socket. */
function socketInode(socket: string): number | undefined {
  try {
    const info = statSync(socket);
    return info.isSocket() ? info.ino : undefined;
  } catch {
    return undefined;
  }
}

export async function runHookDaemon(options: DaemonOptions): Promise<number> {
  const socket = options.socket ?? hookSocketPath();
  try {
    privateDirectory(dirname(socket));
  } catch (err) {
    process.stderr.write(`airlock hook-daemon: ${(err as Error).message}; not started.\n`);
    return 1;
  }
  if (await daemonHealth(socket)) {
    process.stderr.write(`airlock hook-daemon: a daemon already answers on ${socket}\n`);
    return 1;
  }
  rmSync(socket, { force: true }); // A socket left by a daemon that died.
  const stamp = buildStamp();
  let stopping = false;
  const server = hookServer(() => {
    if (buildStamp() === stamp) return false;
    if (!stopping) setTimeout(stop, 100);
    return true;
  });
  let inode: number | undefined;
  let lastCall = Date.now();
  server.on("request", () => {
    lastCall = Date.now();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    server.close();
    // Only our own socket: a daemon started after this one may have taken the path.
    if (inode !== undefined && socketInode(socket) === inode) rmSync(socket, { force: true });
    setTimeout(() => process.exit(0), 2000).unref();
  };
  // Step aside when idle, or when another daemon took the socket (two clients started one each).
  const idleMs = (options.idleSeconds ?? 0) * 1000;
  const watch = setInterval(() => {
    if (inode === undefined) return;
    if (socketInode(socket) !== inode || (idleMs > 0 && Date.now() - lastCall > idleMs)) stop();
  }, 1000);
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socket, resolve);
    });
  } catch (err) {
    clearInterval(watch);
    process.stderr.write(`airlock hook-daemon: cannot listen on ${socket}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    process.umask(previous);
  }
  chmodSync(socket, 0o600);
  inode = socketInode(socket);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stderr.write(`airlock hook-daemon: answering hooks on ${socket} (pid ${process.pid})\n`);
  await new Promise((resolve) => server.on("close", resolve));
  return 0;
}
