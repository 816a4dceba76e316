import { randomInt } from "node:crypto";
import type { UpstreamTarget } from "./config.js";
import { openSocket } from "./upstream.js";
import { int32, untyped } from "./wire.js";

interface Backend {
  target: UpstreamTarget;
  pid: number;
  secret: number;
}

/**
 * The keys clients are given (BackendKeyData) and the upstream backends they stand for. A client gets
 * the upstream's process id with a secret of airlock's own; a CancelRequest is honoured only with
 * that pair, and is then sent to the upstream with the upstream's own secret.
 */
export class CancelKeys {
  readonly #backends = new Map<string, Backend>();

  issue(backend: Backend): { pid: number; secret: number } {
    for (;;) {
      const secret = randomInt(-0x80000000, 0x7fffffff);
      const key = `${backend.pid}:${secret}`;
      if (this.#backends.has(key)) continue;
      this.#backends.set(key, backend);
      return { pid: backend.pid, secret };
    }
  }

  forget(pid: number, secret: number): void {
    this.#backends.delete(`${pid}:${secret}`);
  }

  /** Forward a cancel to the upstream backend; false when the key is not one airlock gave out. */
  async cancel(pid: number, secret: number): Promise<boolean> {
    const backend = this.#backends.get(`${pid}:${secret}`);
    if (!backend) return false;
    const socket = await openSocket(backend.target);
    await new Promise<void>((resolve) => {
      socket.end(untyped(int32(80877102), int32(backend.pid), int32(backend.secret)), () => resolve());
    });
    socket.on("error", () => undefined);
    return true;
  }
}
