import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { isAirlockCommand } from "../ingress/hooks/settings.js";

/**
 * Codex runs a hook from hooks.json only once the person trusted it: a hash of the hook, kept in
 * config.toml under `[hooks.state."<key>"]`. A new or changed hook is `untrusted` or `modified` and
 * Codex skips it without a word. airlock never computes that hash: it asks Codex itself, over its
 * app-server (JSON-RPC on stdio), for `hooks/list`, writes back the `currentHash` it reports for
 * airlock's own hooks with `config/batchWrite`, and lists again to confirm.
 */

export interface CodexHook {
  key: string;
  command: string;
  sourcePath: string;
  currentHash: string;
  trustStatus: "managed" | "untrusted" | "trusted" | "modified";
}

/** How long a conversation with `codex app-server` may take before airlock gives up on it. */
const APP_SERVER_MS = 30_000;

/** `codex` on PATH (or AIRLOCK_CODEX), or undefined. */
export function findCodex(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AIRLOCK_CODEX) return env.AIRLOCK_CODEX;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const file = join(dir, "codex");
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

type Call = (method: string, params: unknown) => Promise<unknown>;

/** Run `talk` against a fresh `codex app-server` in `cwd`; rejects with what went wrong. */
async function withAppServer<T>(
  codex: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  talk: (call: Call) => Promise<T>,
): Promise<T> {
  const child = spawn(codex, ["app-server"], { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let buffer = "";
  let next = 0;
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  child.on("error", (err) => failAll(new Error(`cannot run ${codex} app-server: ${err.message}`)));
  child.on("exit", (code) => failAll(new Error(`${codex} app-server exited (${code}) before answering`)));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (data: string) => {
    buffer += data;
    for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      let message: { id?: number; result?: unknown; error?: { message?: string } };
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiting || message.id === undefined) continue;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`codex app-server: ${message.error.message ?? "error"}`));
      else waiting.resolve(message.result);
    }
  });
  const call: Call = (method, params) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`codex app-server did not answer within ${APP_SERVER_MS / 1000} s`)),
      APP_SERVER_MS,
    );
  });
  try {
    const work = (async () => {
      await call("initialize", {
        clientInfo: { name: "airlock", title: "airlock", version: "1" },
        capabilities: null,
      });
      child.stdin.write(`${JSON.stringify({ method: "initialized" })}\n`);
      return talk(call);
    })();
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    child.kill();
  }
}

async function listHooks(call: Call, cwd: string): Promise<CodexHook[]> {
  const result = (await call("hooks/list", { cwds: [cwd] })) as { data?: { hooks?: CodexHook[] }[] };
  return (result.data ?? []).flatMap((entry) => entry.hooks ?? []);
}

/** airlock's Codex hooks as Codex sees them, in `cwd` (project hooks depend on it). */
export function airlockCodexHooks(codex: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CodexHook[]> {
  return withAppServer(codex, cwd, env, async (call) =>
    (await listHooks(call, cwd)).filter((h) => isAirlockCommand(h.command, "codex")),
  );
}

/** Trust airlock's own Codex hooks that Codex holds as untrusted or modified; returns them as Codex lists them after. */
export function trustAirlockCodexHooks(
  codex: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CodexHook[]> {
  return withAppServer(codex, cwd, env, async (call) => {
    const ours = (await listHooks(call, cwd)).filter((h) => isAirlockCommand(h.command, "codex"));
    const waiting = ours.filter((h) => h.trustStatus === "untrusted" || h.trustStatus === "modified");
    if (waiting.length > 0) {
      const state = Object.fromEntries(waiting.map((h) => [h.key, { trusted_hash: h.currentHash }]));
      await call("config/batchWrite", {
        edits: [{ keyPath: "hooks.state", value: state, mergeStrategy: "upsert" }],
      });
    }
    return (await listHooks(call, cwd)).filter((h) => isAirlockCommand(h.command, "codex"));
  });
}

export interface TrustReport {
  line: string;
  /** airlock's hook is installed and Codex will not run it (or could not be asked). */
  failed: boolean;
}

const BY_HAND =
  "Codex skips a hook it does not trust: run `airlock install codex` again where `codex` is on PATH (or AIRLOCK_CODEX names it), so airlock can trust the hook through Codex";

function describe(hooks: CodexHook[]): TrustReport {
  if (hooks.length === 0)
    return { line: "Codex lists no airlock hook here (it may not load hooks.json)", failed: true };
  const bad = hooks.filter((h) => h.trustStatus !== "trusted" && h.trustStatus !== "managed");
  if (bad.length === 0)
    return {
      line: `Codex trusts airlock's hook (${hooks.length} listed by codex app-server)`,
      failed: false,
    };
  return {
    line: `Codex does NOT run airlock's hook: ${bad.map((h) => `${h.sourcePath} is ${h.trustStatus}`).join(", ")}. ${BY_HAND}.`,
    failed: true,
  };
}

/** After `install codex`: trust airlock's hook through Codex, and say how it went. */
export async function trustAfterInstall(cwd: string, env: NodeJS.ProcessEnv): Promise<TrustReport> {
  const codex = findCodex(env);
  if (!codex)
    return {
      line: `codex is not on PATH, so its trust for the new hook could not be set. ${BY_HAND}.`,
      failed: false,
    };
  try {
    const hooks = await trustAirlockCodexHooks(codex, cwd, env);
    if (hooks.length === 0)
      return {
        line: `Codex lists no airlock hook in ${cwd} yet (it loads a project's .codex/hooks.json only in a project it trusts); \`airlock doctor\` asks it again`,
        failed: false,
      };
    return describe(hooks);
  } catch (err) {
    return {
      line: `could not trust the hook through Codex (${(err as Error).message}). ${BY_HAND}.`,
      failed: true,
    };
  }
}

/** For `airlock doctor`: whether Codex itself says it runs airlock's hook. */
export async function trustForDoctor(cwd: string, env: NodeJS.ProcessEnv): Promise<TrustReport> {
  const codex = findCodex(env);
  if (!codex)
    return {
      line: `cannot ask Codex whether it trusts the hook: codex is not on PATH. ${BY_HAND}.`,
      failed: true,
    };
  try {
    return describe(await airlockCodexHooks(codex, cwd, env));
  } catch (err) {
    return { line: `cannot ask Codex whether it trusts the hook (${(err as Error).message})`, failed: true };
  }
}
