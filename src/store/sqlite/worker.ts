import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { LogSealer } from "../../audit/sealer.js";
import type { Change } from "../port.js";
import { SqliteEngine } from "./engine.js";
import { CALLS, type CallName, type Reply, type Request, toWire, type WorkerOptions } from "./protocol.js";

/**
 * The embedded store's worker thread (store.ts starts one per open store): it owns the SQLite
 * connection and runs every statement, so the fsync of a commit blocks this thread, never the one
 * that serves. Messages are handled in the order they arrive. Commits are grouped: every commit that
 * arrived while the last transaction was being written goes into the next one.
 */

/** Caps one transaction; the rest wait for the next. */
const MAX_BATCH = 2000;

if (!parentPort) throw new Error("the store's worker runs as a worker thread");
const port: MessagePort = parentPort;
const options = workerData as WorkerOptions;
const send = (reply: Reply) => port.postMessage(reply);
const callable = new Set<string>(CALLS);

function open(): SqliteEngine | undefined {
  try {
    const engine = SqliteEngine.open(options.dataDir, {
      readonly: options.readonly,
      ...(options.sealer ? { sealer: LogSealer.fromHandoff(options.sealer) } : {}),
    });
    send({ kind: "ready" });
    return engine;
  } catch (err) {
    send({ kind: "failed", error: toWire(err) });
    port.close();
    return undefined;
  }
}

const queue: { id: number; change: Change }[] = [];
let scheduled = false;

function flush(engine: SqliteEngine): void {
  const batch = queue.splice(0, MAX_BATCH);
  scheduled = queue.length > 0;
  if (scheduled) setImmediate(flush, engine);
  if (batch.length === 0) return;
  try {
    const { outcomes, seal } = engine.commitBatch(batch.map((q) => q.change));
    send({
      kind: "committed",
      results: batch.map(({ id }, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined)
          return { id, error: toWire(new Error("the store lost a change's outcome")) };
        return outcome instanceof Error ? { id, error: toWire(outcome) } : { id, value: outcome };
      }),
      ...(seal ? { seal: { size: seal.size, note: seal.note, nodes: seal.frontier.snapshot().nodes } } : {}),
    });
  } catch (err) {
    const error = toWire(err);
    send({ kind: "committed", results: batch.map(({ id }) => ({ id, error })) });
  }
}

function serve(engine: SqliteEngine): void {
  port.on("message", (request: Request) => {
    switch (request.op) {
      case "call":
        send({ kind: "reply", ...call(engine, request.id, request.name, request.args) });
        return;
      case "resume":
        engine.resumeSeal(request.frontier);
        return;
      case "commit":
        queue.push(...request.commits);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush, engine);
        }
        return;
      case "close":
        while (queue.length > 0) flush(engine);
        engine.close();
        send({ kind: "reply", id: request.id, value: undefined });
        port.close();
        return;
    }
  });
}

function call(engine: SqliteEngine, id: number, name: CallName, args: unknown[]) {
  if (!callable.has(name)) return { id, error: toWire(new Error(`the store has no call ${String(name)}`)) };
  try {
    const method = engine[name] as (...a: unknown[]) => unknown;
    return { id, value: method.apply(engine, args) };
  } catch (err) {
    return { id, error: toWire(err) };
  }
}

const engine = open();
if (engine) serve(engine);
