import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Decision } from "../action/decision.js";
import { evaluate } from "../gate/decide.js";
import { failClosed } from "../gate/fail-closed.js";
import { EXIT_STATUS, formatDecision } from "./format.js";
import { parseJsonAction, type ShellOptions, shellActionFromArgs } from "./input.js";
import { loadPolicyOrDeny, type PolicyOrDeny } from "./policy.js";

export interface CheckOptions extends ShellOptions {
  json?: string;
  batch?: string;
  policy?: string;
  /** With --batch: print the count, time and peak memory to standard error at the end. */
  stats?: boolean;
}

async function decideText(text: string, policy: PolicyOrDeny, line: number): Promise<Decision> {
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

/** `check --batch`: one Decision per line, in order; a bad line is denied and the batch goes on. */
async function checkBatch(source: string, policy: PolicyOrDeny, stats: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  const input = source === "-" ? process.stdin : createReadStream(source);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let out = "";
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === "") continue;
    out += `${JSON.stringify(await decideText(text, policy, n))}\n`;
    if (out.length > 1 << 16) {
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once("drain", r));
      out = "";
    }
  }
  process.stdout.write(out);
  if (stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rss = process.resourceUsage().maxRSS;
    process.stderr.write(
      `airlock check --batch: ${n} lines in ${seconds.toFixed(3)} s, max RSS ${rss} KiB\n`,
    );
  }
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
  const policy = await loadPolicyOrDeny(options.policy);
  if (options.batch !== undefined) {
    try {
      return await checkBatch(options.batch, policy, options.stats === true);
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
