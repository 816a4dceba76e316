import * as z from "zod/mini";
import "../action/zod.js";

/** What a webhook may subscribe to; `events` in airlock.yaml lists some of these (all when absent). */
export const NOTIFY_EVENTS = [
  "hold",
  "approved",
  "released",
  "denied",
  "used",
  "expired",
  "cancelled",
  "tripped",
  "reset",
  "paused",
  "resumed",
  "freeze",
  "checkpoint",
] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Shorter than this, an HMAC secret can be guessed; `openssl rand -hex 32` makes a good one. */
export const MIN_SECRET_LENGTH = 16;

/** One entry of `notify.webhooks` in airlock.yaml, as written. */
export const WebhookEntry = z.strictObject({
  name: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, "name is 1–64 letters, digits, '.', '_' or '-'")),
  url: z.url({ protocol: /^https?$/, error: "url must be an http:// or https:// URL" }),
  /** The signing secret in the file itself; `secretEnv` (the name of an environment variable) is better. */
  secret: z.optional(z.string()),
  secretEnv: z.optional(
    z.string().check(z.regex(ENV_NAME, "secretEnv is the name of an environment variable")),
  ),
  events: z.optional(z.array(z.enum(NOTIFY_EVENTS)).check(z.minLength(1))),
  format: z.optional(z.enum(["json", "slack"])),
  timeoutSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(60))),
  attempts: z.optional(z.int().check(z.minimum(1), z.maximum(10))),
});
export type WebhookEntry = z.infer<typeof WebhookEntry>;

export const NotifySection = z.strictObject({ webhooks: z.array(WebhookEntry) });

/** A webhook ready to deliver to: the secret resolved, the defaults filled in. */
export interface WebhookConfig {
  name: string;
  url: string;
  format: "json" | "slack";
  events: readonly NotifyEventName[];
  /** Absent only for Slack, whose incoming webhooks do not check signatures. */
  secret?: string;
  /** Where the secret came from, to say so without ever showing it. */
  secretFrom?: "env" | "file";
  timeoutSeconds: number;
  attempts: number;
}

export type Resolved = { ok: true; webhooks: WebhookConfig[] } | { ok: false; problems: ProblemAt[] };
export interface ProblemAt {
  /** Index in `notify.webhooks`, for the line number. */
  index: number;
  message: string;
}

/** Check what the schema cannot (names unique, one secret, secrets present and long enough) and fill defaults. */
export function resolveWebhooks(entries: readonly WebhookEntry[], env: NodeJS.ProcessEnv): Resolved {
  const problems: ProblemAt[] = [];
  const seen = new Set<string>();
  const webhooks: WebhookConfig[] = [];
  entries.forEach((w, index) => {
    const resolved = seen.has(w.name)
      ? "the name is used twice; each webhook needs its own"
      : resolveOne(w, env);
    seen.add(w.name);
    if (typeof resolved === "string") problems.push({ index, message: `webhook "${w.name}": ${resolved}` });
    else webhooks.push(resolved);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, webhooks };
}

/** The webhook ready to use, or what is wrong with it. */
function resolveOne(w: WebhookEntry, env: NodeJS.ProcessEnv): WebhookConfig | string {
  const format = w.format ?? "json";
  if (w.secret !== undefined && w.secretEnv !== undefined) return "give secret or secretEnv, not both";
  const secret = w.secretEnv !== undefined ? env[w.secretEnv] : w.secret;
  if (w.secretEnv !== undefined && !secret)
    return `the environment variable ${w.secretEnv} (secretEnv) is not set; set it before starting`;
  if (secret === undefined && format === "json")
    return "a json webhook is signed: set secretEnv to an environment variable holding the secret";
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH)
    return `the secret is shorter than ${MIN_SECRET_LENGTH} characters; use e.g. \`openssl rand -hex 32\``;
  return {
    name: w.name,
    url: w.url,
    format,
    // A Slack channel does not want a signed checkpoint every minute; a JSON receiver keeps them (docs/audit.md).
    events:
      w.events ?? (format === "slack" ? NOTIFY_EVENTS.filter((e) => e !== "checkpoint") : NOTIFY_EVENTS),
    ...(secret !== undefined ? { secret, secretFrom: w.secretEnv !== undefined ? "env" : "file" } : {}),
    timeoutSeconds: w.timeoutSeconds ?? 10,
    attempts: w.attempts ?? 6,
  };
}

/** What the audit log and the start-up line may say about a webhook: never its secret, nor its URL's path. */
export function describeWebhook(w: WebhookConfig): Record<string, unknown> {
  return {
    name: w.name,
    format: w.format,
    host: new URL(w.url).host,
    events: [...w.events],
    signed: w.secret !== undefined,
  };
}
