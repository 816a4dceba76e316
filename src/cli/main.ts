import { setFlagsFromString } from "node:v8";
import { Command } from "commander";

/**
 * A command that answers once and exits compiles the parsers' WebAssembly with the baseline compiler
 * only. Otherwise V8 goes on optimising it in the background, and the process cannot exit until that
 * is done: more than a second after the answer, for an `airlock check` an agent's hook is waiting on.
 * Long runs (`check --batch`) keep the optimising compiler.
 */
function answerOnce(): void {
  setFlagsFromString("--liftoff-only");
}

// Each command's module is loaded when that command runs, so a cold start loads one command's code.

const program = new Command()
  .name("airlock")
  .description("Stands between AI agents and the production systems they change.")
  .version("0.1.0")
  .showHelpAfterError();

program
  .command("check")
  .description("Decide one action (allow, hold or deny) under the policy")
  .argument("[command...]", "a shell command line, after --")
  .option("--json <action>", "one Action as JSON; prints one Decision as JSON")
  .option("--batch <file>", "JSON Lines of Actions (- for standard input); one Decision per line")
  .option("--policy <path>", "the policy file (default: the built-in policy)")
  .option("--stats", "with --batch: print the count, time and peak memory to standard error")
  .option("--cwd <dir>", "working directory of the shell command (default: the current one)")
  .option(
    "--env <environment>",
    "the environment the shell command runs in (production, staging, development)",
  )
  .action(async (command: string[], opts) => {
    if (opts.batch === undefined) answerOnce();
    process.exitCode = await (await import("./check.js")).runCheck(command, {
      ...opts,
      environment: opts.env,
    });
  });

program
  .command("explain")
  .description("Show, step by step, how airlock decides one action")
  .argument("[command...]", "a shell command line, after --")
  .option("--json <action>", "one Action as JSON")
  .option("--policy <path>", "the policy file (default: the built-in policy)")
  .option("--cwd <dir>", "working directory of the shell command")
  .option("--env <environment>", "the environment the shell command runs in")
  .action(async (command: string[], opts) => {
    answerOnce();
    process.exitCode = await (await import("./explain.js")).runExplain(command, {
      ...opts,
      environment: opts.env,
    });
  });

const policy = program.command("policy").description("Work with policy files");
policy
  .command("test")
  .description("Run a policy's own examples and print pass or fail for each")
  .argument("[path]", "the policy file (default: the built-in policy)")
  .action(async (path: string | undefined) => {
    process.exitCode = await (await import("./policy-test.js")).runPolicyTest(path);
  });

export async function main(argv: string[]): Promise<void> {
  await program.parseAsync(argv);
}
