import { createReadStream } from "node:fs";
import * as z from "zod/mini";
import type { Decision } from "../action/decision.js";
import { evaluate } from "../gate/decide.js";
import { failClosed } from "../gate/fail-closed.js";
import { type LocalPolicy, loadLocalPolicy } from "../local/decider.js";
import { EXIT_STATUS, formatDecision } from "./format.js";
import { parseJsonAction, type ShellOptions, shellActionFromArgs } from "./input.js";
import { flagged, text } from "./options.js";

/** `airlock check`'s flags as commander gives them. */
export const CheckFlags = z.object({
  json: text,
  batch: text,
  policy: text,
  stats: flagged,
  cwd: text,
  env: text,
});

export interface CheckOptions extends ShellOptions {
  json?: string;
  batch?: string;
  policy?: string;
  /** With --batch: print the count, time and peak memory to standard error at the end. */
  stats?: boolean;
}

async function decideText(text: string, policy: LocalPolicy, line: number): Promise<Decision> {
  const parsed = parseJsonAction(text);
  if (!parsed.ok)
    return failClosed(
      undefined,
      "invalid_action",
      `line ${line} is ${parsed.error}; send one JSON Action per line`,
    );
  if (!policy.ok) return policy.deny(parsed.value);
  return (await evaluate(parsed.value, policy.policy)).decision;
}

/** Lines of a stream, split by hand: readline's async iterator costs more than deciding a line. */
async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of input) {
    const text =
      rest + (typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    yield* lines;
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}

/** Per-line timings of a batch, kept only when `--stats` asks for them. */
class BatchStats {
  private readonly started = process.hrtime.bigint();
  private micros: number[] = [];

  record(startedAt: bigint): void {
    this.micros.push(Number(process.hrtime.bigint() - startedAt) / 1000);
  }

  report(lines: number): string {
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const sorted = Float64Array.from(this.micros).sort();
    const at = (p: number) =>
      (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1);
    const rate = Math.round(sorted.length / seconds);
    const rss = process.resourceUsage().maxRSS;
    return `airlock check --batch: ${lines} lines in ${seconds.toFixed(3)} s (${rate} actions/s); per action p50 ${at(0.5)} µs, p99 ${at(0.99)} µs; max RSS ${rss} KiB\n`;
  }
}

/** `check --batch`: one Decision per line, in order; a bad line is denied and the batch goes on. */
async function checkBatch(
  source: string,
  policy: LocalPolicy,
  stats: BatchStats | undefined,
): Promise<number> {
  const input = source === "-" ? process.stdin : createReadStream(source);
  let out = "";
  let n = 0;
  for await (const line of readLines(input)) {
    n++;
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (text.trim() === "") continue;
    const startedAt = stats ? process.hrtime.bigint() : 0n;
    out += `${JSON.stringify(await decideText(text, policy, n))}\n`;
    stats?.record(startedAt);
    if (out.length > 1 << 16) {
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once("drain", r));
      out = "";
    }
  }
  process.stdout.write(out);
  if (stats) process.stderr.write(stats.report(n));
  return 0;
}

export async function runCheck(args: string[], options: CheckOptions): Promise<number> {
  const modes = [args.length > 0, options.json !== undefined, options.batch !== undefined].filter(
    Boolean,
  ).length;
  if (modes !== 1) {
    process.stderr.write(
      "airlock check: give exactly one of `-- CMD ARGS…`, `--json '{…}'` or `--batch FILE|-`\n",
    );
    return 64;
  }
  const policy = await loadLocalPolicy(options.policy);
  if (!policy.ok) process.stderr.write(`airlock: ${policy.message}\n`);
  if (options.batch !== undefined) {
    try {
      return await checkBatch(options.batch, policy, options.stats ? new BatchStats() : undefined);
    } catch (err) {
      process.stderr.write(`airlock check: cannot read ${options.batch}: ${(err as Error).message}\n`);
      return 66;
    }
  }
  if (options.json !== undefined) {
    const decision = await decideText(options.json, policy, 1);
    process.stdout.write(`${JSON.stringify(decision)}\n`);
    return EXIT_STATUS[decision.decision];
  }
  const action = shellActionFromArgs(args, options);
  const decision = policy.ok ? (await evaluate(action, policy.policy)).decision : policy.deny(action);
  process.stdout.write(`${formatDecision(decision, String(action.command))}\n`);
  return EXIT_STATUS[decision.decision];
}
