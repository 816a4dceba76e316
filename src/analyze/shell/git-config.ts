import type { Invocation } from "./context.js";
import { lookupVariable } from "./state.js";

/**
 * Configuration a git command line carries, as git reads it: `-c key=value`, `--config-env=key=VAR`,
 * `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` and `GIT_CONFIG_PARAMETERS`. Aliases
 * (`alias.x='!cmd'`, `alias.nuke=reset`) and the commands git runs itself (`core.sshCommand`,
 * `GIT_SSH_COMMAND`) come from here.
 */
export function gitConfig(inv: Invocation, globals: string[]): Map<string, string> {
  const env = (name: string) => inv.env.get(name) ?? lookupVariable(inv.state, name);
  const config = new Map<string, string>();
  const set = (pair: string) => {
    const eq = pair.indexOf("=");
    if (eq > 0) config.set(pair.slice(0, eq).toLowerCase(), pair.slice(eq + 1));
    else if (pair) config.set(pair.toLowerCase(), "true");
  };
  const params = env("GIT_CONFIG_PARAMETERS");
  if (params)
    for (const m of params.matchAll(/'([^']*)'(?:='([^']*)')?/g))
      set(m[2] === undefined ? (m[1] ?? "") : `${m[1]}=${m[2]}`);
  const count = Number(env("GIT_CONFIG_COUNT") ?? 0);
  for (let n = 0; n < Math.min(count, 64); n++) {
    const key = env(`GIT_CONFIG_KEY_${n}`);
    if (key) config.set(key.toLowerCase(), env(`GIT_CONFIG_VALUE_${n}`) ?? "");
  }
  for (let i = 0; i < globals.length; i++) {
    const a = globals[i] ?? "";
    if (a === "-c") set(globals[++i] ?? "");
    else if (a.startsWith("-c") && a.length > 2) set(a.slice(2));
    else if (a.startsWith("--config-env=") || a === "--config-env") {
      const spec = a === "--config-env" ? (globals[++i] ?? "") : a.slice("--config-env=".length);
      const eq = spec.indexOf("=");
      if (eq > 0) config.set(spec.slice(0, eq).toLowerCase(), env(spec.slice(eq + 1)) ?? "$UNKNOWN");
    }
  }
  const ssh = env("GIT_SSH_COMMAND") ?? env("GIT_SSH");
  if (ssh) config.set("core.sshcommand", ssh);
  return config;
}

/** Subcommands that reach a remote over ssh, running `core.sshCommand`. */
export const NETWORK = new Set([
  "fetch",
  "pull",
  "push",
  "clone",
  "ls-remote",
  "submodule",
  "remote",
  "archive",
]);

/** Commands git runs on its own from configuration: `core.sshCommand`, `core.pager`, `diff.external`… */
export function configuredCommands(config: Map<string, string>, sub: string): string[] {
  const keys = ["core.pager", "core.editor", "diff.external", "core.fsmonitor", "sequence.editor"];
  const found = keys.map((k) => config.get(k)).filter((v): v is string => !!v && v !== "true");
  const ssh = config.get("core.sshcommand");
  // ssh itself is the transport git expects; anything else is a command that runs on every fetch.
  if (ssh && NETWORK.has(sub) && !/^(?:\S*\/)?(?:ssh|plink|tortoiseplink)(?:\.exe)?(?:\s|$)/.test(ssh.trim()))
    found.push(ssh);
  return found;
}
