import { parseArgs } from "./args.js";
import { BASIC } from "./basic.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { LOCAL_CLUSTERS } from "./local-clusters.js";
import { PAAS_CLIS } from "./paas-clis.js";
import { SECRETS_CLIS } from "./secrets-clis.js";
import { runText } from "./shells.js";
import { resolvePath } from "./state.js";
import { commandOption, prefixWrapper } from "./unwrap.js";
import type { Word } from "./words.js";

/**
 * More programs that run the command they are given: schedulers, tracers, namespaces, privilege
 * changers, terminal multiplexers, containers and VMs. Each is taken off and what it runs analysed.
 */

/** `runuser -u U -- CMD` or `runuser -l U -c 'CMD'`. */
function runuser(inv: Invocation): void {
  const text = commandOption(inv, ["-c", "--command", "-u", "--user", "-g", "-G", "-s", "--shell"]);
  if (text !== undefined) runText(inv, text, `${inv.program} -c`);
  else prefixWrapper(["-u", "--user", "-g", "--group", "-G", "-s", "--shell", "-l"])(inv);
}

/** `flock FILE -c 'CMD'`, `flock [-w N] FILE CMD…`. */
function flock(inv: Invocation): void {
  const text = commandOption(inv, ["-c", "--command", "-w", "--timeout", "-E", "--conflict-exit-code"]);
  if (text !== undefined) runText(inv, text, "flock -c");
  else prefixWrapper(["-w", "--timeout", "-E", "--conflict-exit-code"], 1)(inv);
}

/** `ssh-agent CMD` runs CMD; `ssh-agent -s` only prints settings for `eval`. */
function sshAgent(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-a", "-E", "-t", "-P", "-O"]));
  if (p.operands.length > 0) prefixWrapper(["-a", "-E", "-t", "-P", "-O"])(inv);
  else emit(inv, { name: "ssh-agent", effect: "read", summary: "ssh-agent prints its settings" });
}

const TMUX_RUNS = new Set([
  "new-session",
  "new",
  "new-window",
  "neww",
  "split-window",
  "splitw",
  "respawn-pane",
]);
const TMUX_WITH_VALUE = new Set("-s -n -t -c -x -y -e -F -f -L -S -l -p -T -w -h".split(" ").map((f) => f));

/** `tmux new-session -d 'CMD'`, `tmux run-shell 'CMD'`, `tmux send-keys -t x 'CMD' Enter`. */
function tmux(inv: Invocation): void {
  const at = inv.args.findIndex((a) => !a.value.startsWith("-"));
  const sub = inv.args[at]?.value ?? "";
  const rest = inv.args.slice(at + 1);
  const p = parseArgs(rest, TMUX_WITH_VALUE);
  const words = p.operands.map((w) => w.value);
  if (TMUX_RUNS.has(sub) || sub === "run-shell" || sub === "run") {
    if (words.length > 0)
      runText(inv, p.operands.every((w) => w.known) ? words.join(" ") : undefined, "tmux");
    else
      emit(inv, {
        name: `tmux ${sub}`,
        effect: "execute",
        summary: "tmux opens a shell",
        envHints: ["local"],
      });
  } else if (sub === "send-keys" || sub === "send") {
    // Keys typed into a shell: the words, with Enter/C-m as line ends.
    const typed = words.map((k) => (k === "Enter" || k === "C-m" ? "\n" : k)).join(" ");
    runText(inv, p.operands.every((w) => w.known) ? typed : undefined, "tmux send-keys");
  } else emit(inv, { name: `tmux ${sub}`.trim(), effect: "read", summary: "tmux manages sessions" });
}

/** `screen -dmS name CMD…`: after screen's options, the command and its words. */
function screen(inv: Invocation): void {
  let i = 0;
  while (i < inv.args.length && (inv.args[i]?.value ?? "").startsWith("-")) {
    const a = inv.args[i]?.value ?? "";
    i += /^-[a-zA-Z]*[SLcpTrRx]$/.test(a) && !/^-(ls|list|wipe)$/.test(a) ? 2 : 1;
  }
  const inner = inv.args.slice(i);
  if (inner.length > 0) inv.stdout = inv.dispatch(inner);
  else emit(inv, { name: "screen", effect: "read", summary: "screen lists or attaches sessions" });
}

/** `busybox rm -rf /`, `toybox sh -c …`: the applet is the first word. */
function multiCall(inv: Invocation): void {
  const first = inv.args[0]?.value ?? "";
  if (inv.args.length === 0 || first.startsWith("-"))
    emit(inv, { name: inv.program, effect: "read", summary: `${inv.program} lists its applets` });
  else inv.stdout = inv.dispatch(inv.args);
}

/** `lxc exec box -- CMD`, `incus exec box -- CMD`: run inside the container. */
function containerExec(inv: Invocation): void {
  const [sub, container, ...rest] = parseArgs(
    inv.args,
    new Set(["--env", "--user", "--cwd", "--mode"]),
  ).operands;
  if (sub?.value !== "exec" || !container) {
    emit(inv, {
      name: `${inv.program} ${sub?.value ?? ""}`.trim(),
      effect: "execute",
      summary: `${inv.program} manages containers`,
      reversibility: "recoverable",
      blastRadius: "service",
      opaque: true,
    });
    return;
  }
  const after = inv.args.slice(inv.args.findIndex((a) => a.value === "--") + 1);
  const command: Word[] = inv.args.some((a) => a.value === "--") ? after : rest;
  inv.reparse(command.map((w) => w.value).join(" "), {
    depth: inv.scope.depth + 1,
    remote: [container.value],
  });
}

/** `vagrant ssh -c 'CMD'` runs CMD in the VM; other vagrant commands are local VM management. */
function vagrant(inv: Invocation): void {
  const text = commandOption(inv, ["-c", "--command"]);
  if (inv.argv[0] === "ssh" && text !== undefined)
    inv.reparse(text, { depth: inv.scope.depth + 1, remote: ["vagrant"] });
  else LOCAL_CLUSTERS.vagrant?.(inv);
}

const ANSIBLE_WITH_VALUE = new Set(
  "-m --module-name -a --args -i --inventory -u --user -l --limit -f --forks -e --extra-vars -b -K -k -c --connection -T --timeout -B -P --become-user".split(
    " ",
  ),
);

/** `ansible PATTERN -m shell -a 'CMD'`: CMD runs on every host the pattern selects. */
function ansible(inv: Invocation): void {
  const p = parseArgs(inv.args, ANSIBLE_WITH_VALUE);
  const pattern = p.operands[0]?.value ?? "all";
  const module = p.values.get("-m") ?? p.values.get("--module-name") ?? "command";
  const args = p.values.get("-a") ?? p.values.get("--args");
  const hosts = [pattern, ...(p.values.get("-i") ?? p.values.get("--inventory") ?? "").split(/[,/]/)].filter(
    Boolean,
  );
  if (p.flags.has("--check") || p.flags.has("-C") || p.flags.has("--list-hosts") || module === "ping") {
    emit(inv, { name: "ansible", effect: "read", summary: "ansible only checks or lists" });
    return;
  }
  if (
    ["shell", "command", "raw", "ansible.builtin.shell", "ansible.builtin.command"].includes(module) &&
    args
  )
    inv.reparse(args, { depth: inv.scope.depth + 1, remote: hosts });
  else
    emit(inv, {
      name: `ansible -m ${module}`,
      effect: "execute",
      summary: `ansible runs module ${module} on ${pattern}: airlock cannot see its effect`,
      reversibility: "recoverable",
      blastRadius: "environment",
      opaque: true,
      envHints: hosts,
    });
}

/** `make -f -` reads the makefile from stdin; `-f FILE` may name one written on the line. */
function make(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-f", "--file", "--makefile", "-C", "--directory", "-j", "-I"]));
  const file = p.values.get("-f") ?? p.values.get("--file") ?? p.values.get("--makefile");
  const stdin = inv.stdin;
  let text: string | undefined;
  if (file === "-") text = stdin.kind === "text" && stdin.known ? stdin.text : undefined;
  else if (file !== undefined) {
    const path = resolvePath(inv.state, file);
    text = path ? inv.state.files.get(path) : undefined;
  }
  if (file === "-" && text === undefined) {
    runText(inv, undefined, "make -f -");
    return;
  }
  if (text === undefined) {
    BASIC.make?.(inv);
    return;
  }
  // Recipe lines start with a tab; `@`, `-` and `+` only change how make runs them; `$$` is `$`.
  const recipes = text
    .split("\n")
    .filter((l) => l.startsWith("\t"))
    .map((l) =>
      l
        .slice(1)
        .replace(/^[@+-]+/, "")
        .replace(/\$\$/g, "$"),
    );
  if (recipes.length > 0) inv.reparse(recipes.join("\n"));
  BASIC.make?.(inv);
}

/** `doppler run -- CMD`, `op run -- CMD`, `aws-vault exec prof -- CMD`: CMD runs with injected secrets. */
function subcommandRunner(word: string, positional: number, otherwise?: Handler): Handler {
  return (inv) => {
    const at = inv.args.findIndex((a) => !a.value.startsWith("-"));
    if (inv.args[at]?.value !== word) {
      if (otherwise) otherwise(inv);
      else
        emit(inv, { name: inv.program, effect: "execute", summary: `${inv.program}`, envHints: ["local"] });
      return;
    }
    const dashes = inv.args.findIndex((a) => a.value === "--");
    const rest = inv.args.slice(at + 1);
    if (dashes > at) inv.stdout = inv.dispatch(inv.args.slice(dashes + 1));
    else prefixWrapper([], positional)({ ...inv, args: rest, argv: rest.map((a) => a.value) });
  };
}

export const RUNNERS: Record<string, Handler> = {
  make,
  gmake: make,
  doppler: subcommandRunner("run", 0, SECRETS_CLIS.doppler),
  op: subcommandRunner("run", 0, SECRETS_CLIS.op),
  railway: subcommandRunner("run", 0, PAAS_CLIS.railway),
  "aws-vault": subcommandRunner("exec", 1),
  dotenv: prefixWrapper(["-e", "-c", "-v"]),
  chrt: prefixWrapper(["-p", "--pid", "-T", "-P", "-D"], 1),
  strace: prefixWrapper(["-o", "-e", "-p", "-s", "-u", "-E", "-P", "-a", "-b", "-I", "-X", "-O", "-S"]),
  ltrace: prefixWrapper(["-o", "-e", "-p", "-u", "-s", "-n", "-a", "-A", "-D", "-F", "-l", "-L"]),
  unshare: prefixWrapper(["-S", "-G", "--setuid", "--setgid", "-w", "--wd", "-R", "--root"]),
  chroot: prefixWrapper(["--userspec", "--groups"], 1),
  nsenter: prefixWrapper(["-t", "--target", "-S", "-G", "--setuid", "--setgid", "-w", "-r"]),
  setpriv: prefixWrapper(["--reuid", "--regid", "--ruid", "--rgid", "--euid", "--egid", "--groups"]),
  runuser,
  pkexec: prefixWrapper(["--user"]),
  valgrind: prefixWrapper([]),
  faketime: prefixWrapper(["-p"], 1),
  cpulimit: prefixWrapper(["-l", "--limit", "-p", "--pid", "-e", "--exe", "-c", "--cpu"]),
  prlimit: prefixWrapper(["-p", "--pid", "-o", "--output"]),
  catchsegv: prefixWrapper([]),
  "ssh-agent": sshAgent,
  "dbus-run-session": prefixWrapper(["--config-file", "--dbus-daemon"]),
  nocache: prefixWrapper([]),
  eatmydata: prefixWrapper([]),
  firejail: prefixWrapper([]),
  torsocks: prefixWrapper([]),
  proxychains: prefixWrapper(["-f"]),
  proxychains4: prefixWrapper(["-f"]),
  flock,
  tmux,
  screen,
  busybox: multiCall,
  toybox: multiCall,
  lxc: containerExec,
  incus: containerExec,
  vagrant,
  ansible,
};
