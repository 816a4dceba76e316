import { setFlagsFromString } from "node:v8";
import { Command } from "commander";
import { ServerFlags, withOptions } from "./options.js";

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
    const check = await import("./check.js");
    process.exitCode = await withOptions("check", check.CheckFlags, opts, (o) =>
      check.runCheck(command, { ...o, environment: o.env }),
    );
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
    const explain = await import("./explain.js");
    process.exitCode = await withOptions("explain", explain.ExplainFlags, opts, (o) =>
      explain.runExplain(command, { ...o, environment: o.env }),
    );
  });

const policy = program.command("policy").description("Work with policy files");
policy
  .command("test")
  .description("Run a policy's own examples and print pass or fail for each")
  .argument("[path]", "the policy file (default: the built-in policy)")
  .action(async (path: string | undefined) => {
    process.exitCode = await (await import("./policy-test.js")).runPolicyTest(path);
  });

const serverFlags = (c: Command) =>
  c
    .option(
      "--config <file>",
      "the server configuration (default: ./airlock.yaml when present, or AIRLOCK_CONFIG)",
    )
    .option(
      "--data-dir <dir>",
      "where the store and audit log live (default: ./.airlock, or AIRLOCK_DATA_DIR)",
    )
    .option(
      "--store <url>",
      "sqlite (the default: the data directory's file) or postgres://USER@HOST:PORT/DATABASE, the password in AIRLOCK_STORE_PASSWORD (default: store in the configuration, or AIRLOCK_STORE)",
    )
    .option(
      "--checkpoints <dir>",
      "copies of the log's signed checkpoints, outside the data directory (default: checkpointDir, or AIRLOCK_CHECKPOINT_DIR)",
    );
const clientFlags = (c: Command) =>
  c
    .option("--url <url>", "the server (default: AIRLOCK_URL)")
    .option("--token <token>", "your token (default: AIRLOCK_TOKEN)")
    .option("--json", "print JSON");

serverFlags(
  program
    .command("serve")
    .description("Run the approval server: HTTP API, approvers' page, audit log")
    .option("--listen <host:port>", "where to listen (default: 127.0.0.1:7070, or AIRLOCK_LISTEN)")
    .option("--pg-listen <host:port>", "also speak PostgreSQL here (docs/postgres.md; or postgres.listen)")
    .option("--aws-listen <host:port>", "also serve the AWS endpoint here (docs/aws.md; or aws.listen)")
    .option("--policy <path>", "the policy file (default: from the configuration, or the built-in policy)")
    .option(
      "--log-format <format>",
      "text or json, one object per line (default: log.format, AIRLOCK_LOG_FORMAT, or text)",
    )
    .option("--log-requests", "log one line per HTTP request (default: log.requests)"),
).action(async (opts) => {
  const serve = await import("./serve.js");
  process.exitCode = await withOptions("serve", serve.ServeFlags, opts, serve.runServe);
});

serverFlags(
  program
    .command("restore <request-id>")
    .description(
      "Put back what the PostgreSQL proxy copied before a released DROP, TRUNCATE, DELETE or UPDATE",
    ),
).action(async (id: string, opts) => {
  const restore = await import("./restore.js");
  process.exitCode = await withOptions("restore", ServerFlags, opts, (o) => restore.runRestore(id, o));
});

const token = program
  .command("token")
  .description("Make and revoke the bearer tokens of agents, approvers and admins");
serverFlags(
  token
    .command("create")
    .description("Make a token; it is printed once")
    .requiredOption("--name <name>", "who the token is for")
    .requiredOption("--role <role>", "agent, approver or admin")
    .option("--group <group...>", "for approvers: the groups they approve for (sre, dba, …)")
    .option(
      "--on-behalf-of <person>",
      "for agents: the person who runs the agent (they can never approve it)",
    )
    .option("--aws", "for agents: also print AWS credentials that only airlock's AWS endpoint accepts"),
).action(async (opts) => {
  const token = await import("./token.js");
  process.exitCode = await withOptions("token create", token.TokenCreateFlags, opts, token.runTokenCreate);
});
serverFlags(token.command("revoke").description("Revoke every token of a name").argument("<name>")).action(
  async (name: string, opts) => {
    const token = await import("./token.js");
    process.exitCode = await withOptions("token revoke", ServerFlags, opts, (o) =>
      token.runTokenRevoke(name, o),
    );
  },
);
serverFlags(token.command("list").description("List tokens (their hashes, never the tokens)")).action(
  async (opts) => {
    const token = await import("./token.js");
    process.exitCode = await withOptions("token list", ServerFlags, opts, token.runTokenList);
  },
);

clientFlags(
  program
    .command("requests")
    .description("List approval requests, pending first")
    .option("--status <status>", "only this status: pending, approved, used, denied, expired, cancelled"),
).action(async (opts) => {
  process.exitCode = await (await import("./requests.js")).runRequests(opts);
});
clientFlags(
  program
    .command("approve")
    .description("Approve a request, bound to the digest of the action it holds")
    .argument("<id>")
    .option("--comment <text>", "why")
    .option("--digest <digest>", "refuse unless the request holds exactly this action"),
).action(async (id: string, opts) => {
  process.exitCode = await (await import("./requests.js")).runVote(id, "approve", opts);
});
clientFlags(
  program
    .command("deny")
    .description("Deny a request")
    .argument("<id>")
    .option("--reason <text>", "why, for the agent and the audit log")
    .option("--digest <digest>", "refuse unless the request holds exactly this action"),
).action(async (id: string, opts) => {
  // `--reason` is what a denial is called; the vote carries it as its comment.
  const { reason, ...rest } = opts;
  process.exitCode = await (await import("./requests.js")).runVote(id, "deny", { ...rest, comment: reason });
});
clientFlags(
  program
    .command("cancel")
    .description("Cancel a request (admin)")
    .argument("<id>")
    .option("--comment <text>", "why"),
).action(async (id: string, opts) => {
  process.exitCode = await (await import("./requests.js")).runCancel(id, opts);
});
clientFlags(
  program
    .command("wait")
    .description("Wait until a request is decided; exit 0 approved, 1 refused, 2 still pending at --timeout")
    .argument("<id>")
    .option("--timeout <seconds>", "give up after this long (default 3600)"),
).action(async (id: string, opts) => {
  process.exitCode = await (await import("./requests.js")).runWait(id, opts);
});

program
  .command("mcp")
  .description("Put airlock in front of MCP servers: every tools/call is decided before it reaches them")
  .argument("[command...]", "a stdio MCP server to wrap, after --")
  .option("--name <name>", "the server's name in Actions and policies (default: from the command or URL)")
  .option("--upstream <url>", "front a Streamable HTTP MCP server (serves Streamable HTTP itself)")
  .option("--config <file>", "several servers, JSON or YAML (`servers:` or `mcpServers:`)")
  .option("--listen <host:port>", "serve Streamable HTTP here (default with --upstream: 127.0.0.1:7071)")
  .option("--stdio", "with --upstream: serve stdio instead of HTTP")
  .option("--env <environment>", "the environment the servers act on (production, staging, development)")
  .option("--policy <path>", "the policy file (default: the built-in policy)")
  .option(
    "--wait <seconds>",
    "keep held calls open this long, with progress, until approved (needs AIRLOCK_URL)",
  )
  .option("--hide-denied", "leave tools the policy always denies out of tools/list")
  .action(async (command: string[], opts) => {
    const mcp = await import("./mcp.js");
    const code = await withOptions("mcp", mcp.McpFlags, opts, (o) => mcp.runMcp(command, o));
    process.exitCode = code;
    // Anything still open (a stuck upstream) must not keep the proxy alive once the session has ended.
    setTimeout(() => process.exit(code), 1000).unref();
  });

program
  .command("hook")
  .description("Answer one agent CLI pre-tool-use hook event (JSON on standard input) in that CLI's format")
  .argument("<cli>", "claude-code, gemini, cursor, kiro, codex or copilot")
  .option("--policy <path>", "the policy file (default: AIRLOCK_POLICY, or the built-in policy)")
  .option("--timeout <seconds>", "the agent CLI's own timeout for the hook; airlock answers 3 s before it")
  .action(async (cli: string, opts) => {
    answerOnce();
    // Not through withOptions: whatever is wrong, the hook answers in its CLI's form and fails closed.
    await (await import("./hook.js")).runHook(cli, opts);
  });

for (const [name, description] of [
  ["install", "Put airlock's hook into an agent CLI's settings (merged, with a backup; idempotent)"],
  ["uninstall", "Take airlock's hook out of an agent CLI's settings, and only that"],
] as const) {
  program
    .command(name)
    .description(description)
    .argument("<cli>", "claude-code, gemini, cursor, kiro, codex, copilot, or all")
    .option("--user", "the user's settings (the default)")
    .option("--project", "the current project's settings")
    .option("--command <command>", "the hook command to write (default: this airlock, by absolute path)")
    .option("--fast", "(the default) the fast client, answered by a hook daemon it starts on first use")
    .option("--no-daemon", "a Node process per tool call instead of the fast client and its daemon")
    .option(
      "--policy <file>",
      "the policy the hook judges by, written into the hook command (default AIRLOCK_POLICY)",
    )
    .option("--mcp", "put the CLI's MCP servers behind `airlock mcp` (uninstall: restore them), not the hook")
    .option(
      "--timeout <seconds>",
      "the CLI's timeout for the hook (default 30, or AIRLOCK_WAIT_SECONDS + 15)",
    )
    .action(async (cli: string, opts) => {
      const install = await import("./install.js");
      process.exitCode = await withOptions(name, install.InstallFlags, opts, (o) =>
        install.runInstall(name, cli, o),
      );
    });
}

program
  .command("doctor")
  .description(
    "Show which agent CLIs are protected, and check each installed hook blocks a dangerous command",
  )
  .action(async () => {
    process.exitCode = await (await import("./doctor.js")).runDoctor();
  });

const audit = program.command("audit").description("Check and export the tamper-evident audit log");
serverFlags(
  audit
    .command("verify")
    .description("Recompute the log and check every signed checkpoint; names the first bad entry")
    .option("--from <file>", "a signed checkpoint saved elsewhere that the log must still contain")
    .option("--key <key>", "the verifier key, or a file holding it (default: the one in the data directory)"),
).action(async (opts) => {
  process.exitCode = await (await import("./audit.js")).runAuditVerify(opts);
});
serverFlags(
  audit
    .command("proof")
    .description("Print the inclusion proof of one entry in the latest signed checkpoint")
    .argument("<index>")
    .option("--key <key>", "the verifier key, or a file holding it"),
).action(async (index: string, opts) => {
  process.exitCode = await (await import("./audit.js")).runAuditProof(index, opts);
});
audit
  .command("keygen")
  .description(
    "Make the audit signing key a cluster's replicas share (auditKeyFile); prints its verifier key",
  )
  .option("--origin <name>", "the log's name in its checkpoints, e.g. airlock.example.com/audit")
  .option("--out <file>", "where to write the signing key (mode 0600; never overwritten)")
  .action(async (opts) => {
    process.exitCode = (await import("./audit-keygen.js")).runAuditKeygen(opts);
  });
serverFlags(
  audit
    .command("export")
    .description("Write the log as JSON Lines, for a SIEM")
    .option("--from <index>", "start at this entry"),
).action(async (opts) => {
  process.exitCode = await (await import("./audit.js")).runAuditExport(opts);
});

for (const verb of ["pause", "resume"] as const) {
  clientFlags(
    program
      .command(verb)
      .description(
        verb === "pause"
          ? "Kill switch (admin): deny everything but reads for an agent, a person, an environment or all"
          : "Lift a pause (admin)",
      )
      .option("--agent <id>", "one agent")
      .option("--on-behalf-of <person>", "every agent acting for this person")
      .option("--env <environment>", "one environment (production also covers unknown environments)")
      .option("--all", "every agent")
      .option("--reason <text>", "why, for the audit log and the agents' deny reasons"),
  ).action(async (opts) => {
    process.exitCode = await (await import("./monitor.js")).runPause(verb, opts);
  });
}
clientFlags(program.command("pauses").description("List the pauses in force")).action(async (opts) => {
  process.exitCode = await (await import("./monitor.js")).runPauses(opts);
});
const breakers = clientFlags(
  program.command("breakers").description("Show the policy's circuit breakers and their open trips"),
).action(async (opts) => {
  process.exitCode = await (await import("./monitor.js")).runBreakers(opts);
});
clientFlags(
  breakers
    .command("reset")
    .description("Reset a tripped breaker (admin)")
    .argument("<name>")
    .option("--scope <scope>", "only this scope: all, agent:ID, onBehalfOf:PERSON or env:ENV")
    .option("--reason <text>", "why"),
).action(async (name: string, opts) => {
  // --url and --token may land on `breakers` itself when given after `reset`.
  process.exitCode = await (await import("./monitor.js")).runBreakerReset(name, {
    ...breakers.opts(),
    ...opts,
  });
});

program
  .command("hook-daemon")
  .description(
    "Answer agent CLI hooks from one long-running process (the installed hook starts one itself on first use)",
  )
  .option(
    "--socket <path>",
    "the Unix socket (default $XDG_RUNTIME_DIR/airlock/hook.sock or ~/.cache/airlock/hook.sock)",
  )
  .action(async (opts) => {
    const daemon = await import("./hook-daemon.js");
    process.exitCode = await withOptions("hook-daemon", daemon.DaemonFlags, opts, daemon.runHookDaemon);
  });

clientFlags(
  program
    .command("freeze")
    .description(
      "Declare a freeze (admin): changes to an environment need an emergency approval until a time",
    )
    .option("--env <environment>", "the environment to freeze (production also covers unknown environments)")
    .option("--until <time>", "when the freeze ends, ISO-8601 with its offset (2026-11-22T08:00Z)")
    .option("--reason <text>", "why, for the audit log and the approvers"),
).action(async (opts) => {
  process.exitCode = await (await import("./freeze.js")).runFreeze(opts);
});
clientFlags(
  program
    .command("unfreeze")
    .description("Lift a declared freeze before its time (admin)")
    .option("--env <environment>", "the frozen environment")
    .option("--reason <text>", "why"),
).action(async (opts) => {
  process.exitCode = await (await import("./freeze.js")).runUnfreeze(opts);
});
clientFlags(
  program.command("freezes").description("List the declared freezes and the policy's freeze windows"),
).action(async (opts) => {
  process.exitCode = await (await import("./freeze.js")).runFreezes(opts);
});

serverFlags(
  program
    .command("replay")
    .description("Decide the audit log's actions again under a new policy: what would change, per rule")
    .requiredOption("--policy <path>", "the new policy")
    .option("--since <time>", "only actions recorded at or after this ISO-8601 time")
    .option("--examples <n>", "example actions per rule (default 3)")
    .option("--json", "print the report as JSON"),
).action(async (opts) => {
  process.exitCode = await (await import("./replay.js")).runReplay(opts);
});

export async function main(argv: string[]): Promise<void> {
  await program.parseAsync(argv);
}
