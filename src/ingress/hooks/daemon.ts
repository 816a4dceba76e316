import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { isAbsolute, resolve } from "node:path";
import { readPolicyFile } from "../../local/policy-file.js";
import type { Decider } from "../decider.js";
import { loadCliHook } from "./registry.js";
import { answerCall, MAX_INPUT_BYTES, unknownCli } from "./run.js";
import { type HookAnswer, isCliName } from "./types.js";

/**
 * The hook daemon: `airlock hook <cli>` answered by one long-running process, so each call costs a
 * small shell client (bin/airlock-hook.sh) instead of a Node start. The calls are answered by the
 * same code as `airlock hook` (answerCall), with the caller's directory and environment.
 *
 * Request (POST /v1/hook), NUL-separated because no path or environment value can hold a NUL:
 * `airlock-hook/1 \0 cli \0 timeout \0 cwd \0 NAME=value \0 … \0 \0 stdin`.
 * Answer, one printf-%b-escaped field per line so a shell can read it with builtins only:
 * `airlock-hook/1 \n exit N \n stdout … \n stderr … \n end \n`.
 */

export const PROTOCOL = "airlock-hook/1";

/** The variables the hook reads; the client sends these and nothing else (bin/airlock-hook.sh lists the same). */
export const FORWARDED_ENV = [
  "AIRLOCK_URL",
  "AIRLOCK_TOKEN",
  "AIRLOCK_POLICY",
  "AIRLOCK_WAIT_SECONDS",
  "AIRLOCK_HOOK_TIMEOUT_MS",
  "AIRLOCK_ENVIRONMENT",
  "CLAUDE_PROJECT_DIR",
  "GEMINI_PROJECT_DIR",
  // Whether Gemini CLI can ask its user (gemini-session.ts): its pid, and its CI variables.
  "AIRLOCK_AGENT_PID",
  "CI",
  "GITHUB_ACTIONS",
  "GEMINI_CLI_INTEGRATION_TEST",
] as const;

export interface HookRequest {
  cli: string;
  timeout: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  input: string;
}

/** The request, or why it is not one (the client then falls back to `node airlock-hook.mjs`). */
export function parseRequest(body: Buffer): HookRequest | string {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf(0, at);
    if (end < 0) return "the request ends before its input";
    const field = body.subarray(at, end).toString("utf8");
    at = end + 1;
    if (field === "" && fields.length >= 4) break;
    fields.push(field);
  }
  const [magic, cli = "", timeout = "", cwd = "", ...vars] = fields;
  if (magic !== PROTOCOL) return `not an ${PROTOCOL} request`;
  if (!isAbsolute(cwd)) return "the caller's directory is not an absolute path";
  const env: NodeJS.ProcessEnv = {};
  for (const entry of vars) {
    const eq = entry.indexOf("=");
    const name = entry.slice(0, eq);
    if (eq < 0 || !(FORWARDED_ENV as readonly string[]).includes(name))
      return `unexpected variable "${name}"`;
    env[name] = entry.slice(eq + 1);
  }
  // A relative policy path means the caller's directory, as it does for `airlock hook`.
  if (env.AIRLOCK_POLICY) env.AIRLOCK_POLICY = resolve(cwd, env.AIRLOCK_POLICY);
  return { cli, timeout, cwd, env, input: body.subarray(at).toString("utf8") };
}

/** A field a POSIX shell prints back with `printf '%b'`: every byte but plain printable ASCII as `\0ooo`. */
export function shellEscape(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\0${byte.toString(8).padStart(3, "0")}`;
  }
  return out;
}

export function encodeAnswer(answer: HookAnswer): string {
  return `${PROTOCOL}\nexit ${answer.exitCode}\nstdout ${shellEscape(answer.stdout)}\nstderr ${shellEscape(answer.stderr)}\nend\n`;
}

/**
 * Deciders kept between calls, one per configuration. A local one is keyed by its policy's text
 * too, so an edited policy is loaded on the next call, as a fresh `airlock hook` would.
 */
const deciders = new Map<string, Decider>();

async function cachedDecider(env: NodeJS.ProcessEnv): Promise<Decider> {
  const { createDecider, deciderOptionsFromEnv } = await import("../decider.js");
  const options = deciderOptionsFromEnv(env);
  let key = JSON.stringify(options);
  if (!options.url) {
    try {
      key += createHash("sha256").update(readPolicyFile(options.policyPath).text).digest("hex");
    } catch {
      return createDecider(options); // Unreadable: let the decider say so, uncached.
    }
  }
  let decider = deciders.get(key);
  if (!decider) {
    if (deciders.size >= 32) deciders.clear();
    decider = createDecider(options);
    deciders.set(key, decider);
  }
  return decider;
}

/** One request's answer, by the same code as `airlock hook`; never throws. */
export async function answerRequest(request: HookRequest): Promise<HookAnswer> {
  if (!isCliName(request.cli)) return unknownCli(request.cli);
  try {
    const hook = await loadCliHook(request.cli);
    return await answerCall({
      hook,
      input: Promise.resolve(request.input),
      env: request.env,
      timeout: request.timeout === "" ? undefined : request.timeout,
      cwd: request.cwd,
      decider: cachedDecider,
    });
  } catch (err) {
    const reason = `airlock hook daemon: cannot answer (${(err as Error).message}); the tool call is denied.\n`;
    return { exitCode: 2, stdout: "", stderr: reason };
  }
}

/**
 * The daemon's HTTP server (listened on a Unix socket by `airlock hook-daemon`). `stale` is asked
 * before each call: a daemon whose build was replaced answers 503, so the client uses the new build.
 */
export function hookServer(stale: () => boolean = () => false): Server {
  return createServer((req, res) => {
    const reply = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(body);
    };
    if (req.method === "GET" && req.url === "/v1/health") return reply(200, `${PROTOCOL} ${process.pid}\n`);
    if (req.method !== "POST" || req.url !== "/v1/hook") return reply(404, "not found\n");
    if (stale()) return reply(503, "this daemon's airlock build was replaced; restart it\n");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_INPUT_BYTES + 64 * 1024) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_INPUT_BYTES + 64 * 1024) return reply(413, "the hook input is too large\n");
      const request = parseRequest(Buffer.concat(chunks));
      if (typeof request === "string") return reply(400, `${request}\n`);
      void answerRequest(request).then((answer) => reply(200, encodeAnswer(answer)));
    });
  });
}
