import { Decision, type RequestStatus } from "../action/decision.js";
import { withoutTrailing } from "../action/text.js";
import { failClosed } from "../gate/fail-closed.js";

export interface ClientOptions {
  /** Where `airlock serve` listens, e.g. `http://127.0.0.1:7070`. */
  url: string;
  /** A bearer token made with `airlock token create`. */
  token: string;
  /** How long one HTTP call may take before the answer is a deny (default 5000 ms). */
  timeoutMs?: number;
  /** For tests and other runtimes; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** A request as `GET /v1/requests/{id}` returns it (the fields a client acts on; the rest is kept). */
export interface RequestView {
  id: string;
  status: RequestStatus;
  digest: string;
  url: string;
  expiresAt: string;
  releasableAt?: string;
  [field: string]: unknown;
}

export type RequestResult = { ok: true; request: RequestView } | { ok: false; status: number; error: string };

/** The answer of an admin endpoint: its JSON body, or the server's error. */
export type JsonResult = { ok: true; body: unknown } | { ok: false; status: number; error: string };

/** Whom a pause names: exactly one of these, and why. */
export type PauseScope = { agent?: string; onBehalfOf?: string; env?: string; all?: true; reason?: string };

const FINAL: readonly RequestStatus[] = ["approved", "used", "denied", "expired", "cancelled"];

/**
 * The client for `airlock serve`. `submit` never throws: a server that cannot be reached, answers
 * late or answers nonsense gives a deny with code `server_unavailable`, because an agent must not
 * go ahead when the gate cannot be asked.
 */
export class AirlockClient {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#base = withoutTrailing(options.url, "/");
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Submit an Action; the Decision, with `request` on a hold. */
  async submit(action: unknown): Promise<Decision> {
    const unavailable = (why: string) =>
      failClosed(
        action,
        "server_unavailable",
        `airlock could not get a decision from ${this.#base} (${why}); the action is denied until the server answers. Check that \`airlock serve\` is running and AIRLOCK_URL and AIRLOCK_TOKEN are right.`,
      );
    let response: Response;
    try {
      response = await this.#call("POST", "/v1/actions", action);
    } catch (err) {
      return unavailable((err as Error).message);
    }
    const body = await response.text();
    if (!response.ok) return unavailable(`HTTP ${response.status}: ${errorText(body)}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return unavailable("the answer was not JSON");
    }
    const parsed = Decision.safeParse(json);
    return parsed.success ? parsed.data : unavailable("the answer was not a Decision");
  }

  /** Alias of `submit`, for code that reads better as a question. */
  check(action: unknown): Promise<Decision> {
    return this.submit(action);
  }

  request(id: string): Promise<RequestResult> {
    return this.#requestCall("GET", `/v1/requests/${encodeURIComponent(id)}`);
  }

  /** Requests, newest first (pending first when no status is given). */
  async list(
    status?: RequestStatus,
  ): Promise<{ ok: true; requests: RequestView[] } | { ok: false; status: number; error: string }> {
    const result = await this.#json("GET", `/v1/requests${status ? `?status=${status}` : ""}`);
    return result.ok ? { ok: true, requests: (result.body as { requests: RequestView[] }).requests } : result;
  }

  /** Approve or deny, bound to the digest you reviewed: a request holding anything else refuses the vote. */
  async vote(
    id: string,
    verdict: "approve" | "deny",
    digest: string,
    comment?: string,
  ): Promise<RequestResult> {
    return this.#requestCall("POST", `/v1/requests/${encodeURIComponent(id)}/${verdict}`, {
      digest,
      ...(comment ? { comment } : {}),
    });
  }

  async cancel(id: string, comment?: string): Promise<RequestResult> {
    return this.#requestCall(
      "POST",
      `/v1/requests/${encodeURIComponent(id)}/cancel`,
      comment ? { comment } : {},
    );
  }

  /** Pause an agent, a person, an environment or everything (admin): `POST /v1/pauses`. */
  pause(scope: PauseScope): Promise<JsonResult> {
    return this.#json("POST", "/v1/pauses", scope);
  }

  /** Lift a pause (admin): `POST /v1/pauses/resume`. */
  resume(scope: PauseScope): Promise<JsonResult> {
    return this.#json("POST", "/v1/pauses/resume", scope);
  }

  pauses(): Promise<JsonResult> {
    return this.#json("GET", "/v1/pauses");
  }

  /** The policy's breakers and their trips. */
  breakers(): Promise<JsonResult> {
    return this.#json("GET", "/v1/breakers");
  }

  /** Close a tripped breaker (admin), for one scope or all. */
  resetBreaker(name: string, body: { scope?: string; reason?: string }): Promise<JsonResult> {
    return this.#json("POST", `/v1/breakers/${encodeURIComponent(name)}/reset`, body);
  }

  /** Declare a freeze (admin): `POST /v1/freezes`. */
  freeze(body: Record<string, unknown>): Promise<JsonResult> {
    return this.#json("POST", "/v1/freezes", body);
  }

  /** Lift declared freezes (admin): `POST /v1/freezes/lift`. */
  unfreeze(body: Record<string, unknown>): Promise<JsonResult> {
    return this.#json("POST", "/v1/freezes/lift", body);
  }

  freezes(): Promise<JsonResult> {
    return this.#json("GET", "/v1/freezes");
  }

  async #requestCall(method: string, path: string, body?: unknown): Promise<RequestResult> {
    const result = await this.#json(method, path, body);
    return result.ok ? { ok: true, request: result.body as RequestView } : result;
  }

  async #json(method: string, path: string, body?: unknown): Promise<JsonResult> {
    try {
      const response = await this.#call(method, path, body);
      const text = await response.text();
      if (!response.ok) return { ok: false, status: response.status, error: errorText(text) };
      return { ok: true, body: JSON.parse(text) };
    } catch (err) {
      return { ok: false, status: 0, error: (err as Error).message };
    }
  }

  /**
   * Wait until the request leaves `pending` (approved, denied, expired, cancelled) or the time is up.
   * Polls; the last view seen is returned either way.
   */
  async waitForDecision(
    id: string,
    options: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
  ): Promise<RequestResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
    const interval = options.intervalMs ?? 1000;
    for (;;) {
      const result = await this.request(id);
      if (result.ok && FINAL.includes(result.request.status)) return result;
      if (!result.ok && result.status >= 400 && result.status < 500) return result;
      if (Date.now() + interval > deadline || options.signal?.aborted) return result;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  #call(method: string, path: string, body?: unknown): Promise<Response> {
    return this.#fetch(`${this.#base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
  }
}

/** The server's error body is `{ "error": { "code", "message" } }`; fall back to the raw text. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: show it as it came
  }
  return body.slice(0, 300);
}
