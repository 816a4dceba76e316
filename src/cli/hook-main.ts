/**
 * The entry agent CLIs run, `node dist/airlock-hook.mjs <cli>`: the same as `airlock hook <cli>`
 * without the command-line framework, which a hook on the path of every command should not load.
 * If anything fails to load, the answer is still a block: exit 2, the blocking status of most of
 * these CLIs, with the reason on standard error.
 */
import { setFlagsFromString } from "node:v8";

const args = process.argv.slice(2);
// Answer once and exit: baseline WebAssembly compiler only (see answerOnce in main.ts); not for the daemon.
if (args[0] !== "--daemon") setFlagsFromString("--liftoff-only");
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const policy = option("--policy");
const timeout = option("--timeout");
const denyBecause = option("--deny-because");

try {
  if (args[0] === "--daemon") {
    // Started by the fast client (bin/airlock-hook.sh) on first use: the same daemon as `airlock hook-daemon`.
    const { idleSecondsFrom, runHookDaemon } = await import("./hook-daemon.js");
    process.exit(await runHookDaemon({ idleSeconds: idleSecondsFrom(process.env) }));
  }
  const { runHook } = await import("./hook.js");
  await runHook(args[0] ?? "", {
    ...(policy ? { policy } : {}),
    ...(timeout ? { timeout } : {}),
    ...(denyBecause ? { denyBecause } : {}),
  });
} catch (err) {
  process.stderr.write(`airlock hook: ${(err as Error)?.message ?? String(err)}; the tool call is denied.\n`);
  process.exit(2);
}
