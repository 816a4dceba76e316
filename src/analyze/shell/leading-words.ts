import { environmentOfName } from "../environment.js";
import type { Invocation, OpSpec } from "./context.js";

/**
 * What the first words of a command airlock has no table for say about it. A tool's verbs come first
 * (`rclone purge remote:b`, `vault secrets disable secret/`, `eksctl delete cluster`), so a
 * destructive verb among them is taken at its word; so is a reading one. Where it acts is not the
 * working directory: a remote service is wherever its names point.
 */

const DESTRUCTIVE = new Set(
  `delete destroy remove rm rb del purge drop terminate reset wipe prune uninstall flush flushall flushdb
  truncate forget nuke erase shred zap obliterate rmi rmdir clear clean-all teardown unpublish yank
  deprovision decommission`.split(/\s+/),
);
const DISRUPTIVE = new Set(
  `kill stop disable revoke detach deregister unregister shutdown halt poweroff suspend pause evict drain
  cordon unmount umount unmap disconnect scale-down rollback downgrade`.split(/\s+/),
);
const READS = new Set(
  `get list ls describe show status info cat diff view logs log tail whoami version search inspect print
  top history check validate lint explain plan preview read find query stat du export-config doctor ping
  fetch peek watch`.split(/\s+/),
);
const CHANGES = new Set(
  `create update set deploy apply put push run exec start restart scale patch edit add install upgrade import
  send post write sync copy cp mv move migrate release promote invoke call execute`.split(/\s+/),
);
const HELP = new Set(["--help", "-help", "--version", "-version", "--usage"]);
/** `-h` and `-V` are also a host, a verbose flag or a value for many tools: help only when alone. */
const HELP_ALONE = new Set(["-h", "-V", "help", "version"]);
const DRY_RUN =
  /^--?(dry-?run|dryrun|noop|no-op|what-?if|simulate|preview(-only)?|check|plan)(=(true|1|yes|client|server))?$/;

/** Up to `count` words that are not flags, paths or long values: a tool's verbs and nouns. */
export function leadingWords(argv: string[], count = 3): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (out.length >= count) break;
    if (a === "--") break;
    if (a.startsWith("-") || a.includes("/") || a.includes("=") || a.length > 40) continue;
    out.push(a);
  }
  return out;
}

/** Each word's parts: `apps:destroy`, `delete-cluster`, `db_drop` are verbs too. */
function parts(words: string[]): string[] {
  return words.flatMap((w) => w.toLowerCase().split(/[-:_.]/));
}

export type Verdict = "help" | "dry-run" | "destructive" | "disruptive" | "read" | "other";

/** How the leading words, help and dry-run flags read. Help and dry runs win: they change nothing. */
export function verdictOf(all: string[], count = 3): Verdict {
  // What follows `--` is data or another command's words, never this tool's help flag.
  const argv = all.includes("--") ? all.slice(0, all.indexOf("--")) : all;
  const lead = leadingWords(argv, count);
  if (argv.some((a) => HELP.has(a)) || (argv.length === 1 && HELP_ALONE.has(argv[0] ?? ""))) return "help";
  if (lead[0] === "help") return "help";
  if (argv.some((a) => DRY_RUN.test(a))) return "dry-run";
  const p = parts(lead);
  if (p.some((w) => DESTRUCTIVE.has(w))) return "destructive";
  if (p.some((w) => DISRUPTIVE.has(w))) return "disruptive";
  // `doctl compute droplet list`: a reading verb after nouns, as long as no changing verb precedes it.
  const heads = lead.map((w) => w.toLowerCase().split(/[-:_.]/)[0] ?? "");
  const read = heads.findIndex((w) => READS.has(w));
  if (read >= 0 && !heads.slice(0, read).some((w) => CHANGES.has(w))) return "read";
  return "other";
}

/** Environment variables whose values tell where a command acts (`RAILS_ENV=production`). */
const ENV_NAMES = /ENV|STAGE|URL|HOST|DATABASE|PROFILE|CONTEXT|PROJECT|ACCOUNT|NAMESPACE|CLUSTER|TARGET/i;

/**
 * Names among a command's arguments, flag values and environment that name an environment:
 * `--stage prod`, `--env=production`, `RAILS_ENV=production`, `DATABASE_URL=…prod…`, `prod-eu`.
 */
export function environmentWords(inv: Pick<Invocation, "argv" | "env">): string[] {
  const values = inv.argv.map((a) => (a.startsWith("-") ? a.slice(a.indexOf("=") + 1 || a.length) : a));
  for (const [k, v] of inv.env) if (ENV_NAMES.test(k)) values.push(v);
  // Device paths (`/dev/vg0/data`) name a device, not a development environment; a JSON document
  // or a sentence (`--filter_list '[{"kind":"prefix"}]'`) is data, not a name.
  return values.filter(
    (a) =>
      a !== "" &&
      a.length < 200 &&
      !a.startsWith("/dev/") &&
      !/[\s{}[\]"']/.test(a) &&
      environmentOfName(a) !== undefined,
  );
}

/** The operation a verdict means when no table names the command. */
export function specForVerdict(
  verdict: Verdict,
  name: string,
  what: string,
  local: boolean,
): Pick<OpSpec, "effect" | "summary" | "reversibility" | "blastRadius" | "tags" | "opaque"> & {
  local: boolean;
} {
  switch (verdict) {
    case "help":
      return { effect: "read", summary: `${name} prints its usage or version`, local: true };
    case "dry-run":
      return { effect: "read", summary: `${name} only shows what it would do (a dry run)`, local: true };
    case "read":
      return { effect: "read", summary: `${name} only reads`, local: true };
    case "destructive":
      return {
        effect: "delete",
        summary: `${what}: deletes or resets something airlock cannot see, wherever it points`,
        reversibility: "irreversible",
        blastRadius: "service",
        tags: ["data-loss"],
        local: false,
      };
    case "disruptive":
      return {
        effect: "write",
        summary: `${what}: stops, disables or revokes something airlock cannot see, wherever it points`,
        reversibility: "irreversible",
        blastRadius: "service",
        tags: ["outage"],
        local: false,
      };
    default:
      return {
        effect: local ? "execute" : "write",
        summary: local ? `${what}, a command airlock has no rules for` : `${what}: changes something remote`,
        reversibility: "recoverable",
        blastRadius: local ? "service" : "resource",
        local,
      };
  }
}
