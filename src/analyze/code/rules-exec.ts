import { type Call, type CallArgs, type Effect, pathOf, textOf, type Value } from "./model.js";

/**
 * Calls that start processes, in every interpreter's spelling, and calls that run code airlock
 * cannot see. A shell line goes to /bin/sh (analysed as a shell line); an argv runs a program
 * directly (analysed as that command's words).
 */

function words(v: Value | undefined): (string | undefined)[] | undefined {
  if (v?.t !== "list") return undefined;
  return v.items.map(textOf);
}

const truthy = (v: Value | undefined) => v !== undefined && !(v.t === "bool" && !v.v) && textOf(v) !== "";

function shellOrArgv(via: string, first: Value | undefined, shell: boolean): Effect {
  const list = words(first);
  if (list) return shell ? { kind: "shell", line: joined(list), via } : { kind: "argv", argv: list, via };
  if (shell) return { kind: "shell", line: textOf(first), via };
  return { kind: "argv", argv: [textOf(first)], via };
}

function joined(list: (string | undefined)[]): string | undefined {
  return list.every((w) => w !== undefined) ? list.join(" ") : undefined;
}

/** Ruby's system/spawn/exec and PHP's proc_open: one string is a shell line, several are an argv. */
function commandArgs(via: string, a: CallArgs): Effect {
  const args = a.args.filter((v) => v.t !== "obj");
  if (args.length === 1 && args[0]?.t !== "list") return { kind: "shell", line: textOf(args[0]), via };
  const list = words(args[0]);
  if (list) return { kind: "argv", argv: list, via };
  return { kind: "argv", argv: args.map(textOf), via };
}

type ExecRule = [RegExp, (a: CallArgs, via: string, call: Call) => Effect | undefined];

const SHELL_STRING = (a: CallArgs, via: string): Effect => ({ kind: "shell", line: textOf(a.args[0]), via });

export const EXEC_RULES: ExecRule[] = [
  // Python
  [
    /^(os\.(system|popen[234]?)|subprocess\.(getoutput|getstatusoutput)|commands\.\w+|asyncio\.create_subprocess_shell)$/,
    SHELL_STRING,
  ],
  [
    /^subprocess\.(run|call|check_call|check_output|Popen)$/,
    (a, via) => shellOrArgv(via, a.args[0] ?? a.kwargs.get("args"), truthy(a.kwargs.get("shell"))),
  ],
  [
    /^os\.(exec|spawn)[lv]p?e?$|^os\.posix_spawnp?$/,
    (a, via) => {
      const offset = via.includes("spawnl") || via.includes("spawnv") ? 1 : 0;
      const program = textOf(a.args[offset]);
      const list = words(a.args[offset + 1]);
      const rest = list ? list.slice(1) : a.args.slice(offset + 2).map(textOf);
      return { kind: "argv", argv: [program, ...rest], via };
    },
  ],
  [/^(asyncio\.create_subprocess_exec|pty\.spawn)$/, (a, via) => shellOrArgv(via, a.args[0], false)],
  // Node, Bun, Deno, execa, zx
  [/^child_process\.(exec|execSync)$|^shelljs\.exec$|^execa\.execaCommand(Sync)?$/, SHELL_STRING],
  [
    /^child_process\.(execFile|execFileSync|spawn|spawnSync)$|^execa(\.execa(Sync)?)?$/,
    (a, via) => {
      const options = a.args.find((v, i) => i > 0 && v.t === "obj");
      const list = words(a.args[1]) ?? [];
      const argv = [textOf(a.args[0]), ...list];
      const shell = options?.t === "obj" && truthy(options.fields.get("shell"));
      return shell ? { kind: "shell", line: joined(argv), via } : { kind: "argv", argv, via };
    },
  ],
  [/^child_process\.fork$/, (a, via) => ({ kind: "argv", argv: ["node", textOf(a.args[0])], via })],
  [
    /^Bun\.spawn(Sync)?$|^Deno\.run$/,
    (a, via) => {
      const first = a.args[0];
      const cmd = first?.t === "obj" ? first.fields.get("cmd") : first;
      return shellOrArgv(via, cmd, false);
    },
  ],
  [
    /^Deno\.Command$/,
    (a, via) => {
      const options = a.args[1];
      const list = options?.t === "obj" ? (words(options.fields.get("args")) ?? []) : [];
      return { kind: "argv", argv: [textOf(a.args[0]), ...list], via };
    },
  ],
  [/^(zx\.\$|Bun\.\$|\$)$/, SHELL_STRING],
  // Ruby, PHP, Perl
  [
    /^(Kernel\.)?(system|exec|spawn|fork_exec)$|^Process\.spawn$|^proc_open$/,
    (a, via) => commandArgs(via, a),
  ],
  [/^(IO\.popen|Open3\.\w+|PTY\.spawn)$/, (a, via) => commandArgs(via, a)],
  [/^(shell_exec|passthru|popen|`|qx|readpipe)$/, SHELL_STRING],
  [
    /^pcntl_exec$/,
    (a, via) => ({ kind: "argv", argv: [textOf(a.args[0]), ...(words(a.args[1]) ?? [])], via }),
  ],
];

/** Calls that run code given as data: a literal is analysed in turn, anything else is opaque. */
const EVALS =
  /^(eval|Function|vm\.runIn\w+|vm\.Script|instance_eval|class_eval|module_eval|binding\.eval|Kernel\.eval|assert|create_function)$/;
/** Calls that load or call code by a name only known at run time. */
const DYNAMIC =
  /^(__import__|importlib\.import_module|require|import|getattr|send|public_send|__send__|method|Object\.const_get|const_get|call_user_func|call_user_func_array|pickle\.loads?|marshal\.loads?|dill\.loads?|runpy\.\w+)$/;

const METHODS =
  /^(send|public_send|__send__|const_get|instance_eval|class_eval|module_eval|eval|method|instance_exec)$/;

export function dynamicCode(call: Call, via: string): Effect | undefined {
  const last = call.chain[call.chain.length - 1]?.call;
  const method = call.chain[call.chain.length - 1]?.name ?? "";
  // `obj.send(…)`, `binding.eval(…)`, `Klass.const_get(…)`: judged by the method, whatever the receiver.
  const name = METHODS.test(method) && call.chain.length > 1 ? method : pathOf(call.chain);
  if (call.computed)
    return { kind: "opaque", why: `calls a function chosen at run time (${call.text.slice(0, 40)})`, via };
  if (EVALS.test(name) || (call.python && /^(exec|compile|execfile)$/.test(name))) {
    const code = textOf(last?.args[0]);
    if (code !== undefined && name !== "assert") return { kind: "code", source: code, via };
    if (name === "assert" && last?.args[0]?.t !== "str") return undefined;
    return { kind: "opaque", why: `${name} runs code only known at run time`, via };
  }
  if (DYNAMIC.test(name) && last && last.args[0] !== undefined && textOf(last.args[0]) === undefined) {
    if (/^(getattr|send|public_send|__send__)$/.test(name) && textOf(last.args[1]) !== undefined)
      return undefined;
    return { kind: "opaque", why: `${name} loads or calls code named only at run time`, via };
  }
  if (/^(pickle|marshal|dill)\.loads?$/.test(name))
    return { kind: "opaque", why: `${name} unpickles data into code`, via };
  return undefined;
}
