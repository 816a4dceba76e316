import { afterOptions, withStdin } from "./args.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";

const SSH_WITH_VALUE = new Set("-i -p -l -o -F -J -L -R -D -b -c -E -e -m -O -Q -S -W -w -B -P".split(" "));

/** `ssh host CMD`: CMD runs on host, so its operations carry the host's name instead of "local". */
function ssh(inv: Invocation): void {
  const [target, ...rest] = afterOptions(inv.args, SSH_WITH_VALUE);
  // `ssh host -- CMD`: the `--` only ends ssh's options.
  const command = rest[0]?.value === "--" ? rest.slice(1) : rest;
  const host = (target?.value ?? "").replace(/^[^@]*@/, "");
  const scope = { depth: inv.scope.depth + 1, remote: [host] };
  if (command.length > 0) inv.reparse(withStdin(command.map((w) => w.value).join(" "), inv.stdin), scope);
  else if (inv.stdin.kind === "text" && inv.stdin.known) inv.reparse(inv.stdin.text, scope);
  else {
    emit(inv, {
      name: "ssh",
      effect: "execute",
      summary: `ssh ${host}: a remote session, whose commands airlock will not see`,
      reversibility: "recoverable",
      blastRadius: "service",
      opaque: inv.stdin.kind !== "none",
      envHints: [host],
    });
  }
}

export const SSH: Record<string, Handler> = { ssh };
