import type { Decision } from "../action/decision.js";
import type { LoggedAction, ReplayReport } from "../gate/replay.js";
import { replay } from "../gate/replay.js";
import { type ConfigOverrides, loadServerConfig } from "../ingress/http/config.js";
import { loadPolicy } from "../local/policy-file.js";
import { openStore } from "../store/open.js";
import type { StoredEntry } from "../store/port.js";

export interface ReplayOptions extends ConfigOverrides {
  since?: string;
  json?: boolean;
  examples?: string;
}

/** The `action` entries of the log, from `since` on. */
async function* loggedActions(
  entries: AsyncIterable<StoredEntry>,
  since: string | undefined,
): AsyncIterable<LoggedAction> {
  for await (const stored of entries) {
    const e = JSON.parse(stored.bytes) as Record<string, unknown>;
    if (e.type !== "action" || typeof e.time !== "string" || (since !== undefined && e.time < since))
      continue;
    yield {
      index: stored.index,
      time: e.time,
      ...(typeof e.agent === "string" ? { agent: e.agent } : {}),
      action: e.action,
      decision: e.decision as Decision,
    };
  }
}

function readable(report: ReplayReport, policyName: string, since: string | undefined): string {
  const lines = [
    `replayed ${report.considered} actions${since ? ` since ${since}` : ""} under policy ${policyName}: ` +
      `${report.changed} would be decided differently` +
      (report.skipped > 0 ? ` (${report.skipped} decided by a pause or breaker, not compared)` : ""),
  ];
  for (const g of report.rules) {
    const counts = Object.entries(g.transitions).map(([t, n]) => `${t} ${n}`);
    lines.push("", `${g.rule}: ${counts.join(", ")}`);
    for (const x of g.examples)
      lines.push(`  #${x.index} ${x.time} ${x.agent ?? "?"} ${x.before}→${x.after}: ${x.summary}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `airlock replay --policy NEW.yaml [--since ISO]`: decide the audit log's actions again under a new
 * policy and print, per rule, what would have been decided differently. Reads the log; changes nothing.
 */
export async function runReplay(opts: ReplayOptions): Promise<number> {
  if (!opts.policy) {
    process.stderr.write("airlock replay: --policy NEW.yaml is required\n");
    return 64;
  }
  const since = opts.since === undefined ? undefined : Date.parse(opts.since);
  if (since !== undefined && Number.isNaN(since)) {
    process.stderr.write(`airlock replay: --since ${opts.since} is not an ISO-8601 time\n`);
    return 64;
  }
  let policy: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    policy = await loadPolicy(opts.policy);
  } catch (err) {
    process.stderr.write(`airlock replay: ${(err as Error).message}\n`);
    return 64;
  }
  const config = loadServerConfig({ ...opts, policy: undefined });
  const store = await openStore(config.store, { readonly: true });
  try {
    const sinceIso = since === undefined ? undefined : new Date(since).toISOString();
    const examples = opts.examples === undefined ? 3 : Math.max(0, Number(opts.examples) || 0);
    const report = await replay(loggedActions(store.auditEntries(), sinceIso), policy, { examples });
    const name = policy.document.name;
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ policy: name, since: sinceIso, ...report }, null, 2)}\n`
        : readable(report, name, sinceIso),
    );
    return 0;
  } finally {
    await store.close();
  }
}
