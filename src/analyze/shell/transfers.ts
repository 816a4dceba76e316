import { hasAny, parseArgs } from "./args.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths, writePaths } from "./filesystem.js";
import { sendsSecrets } from "./persistence.js";
import { resolvePath } from "./state.js";
import type { Word } from "./words.js";

/**
 * Where copied data goes: rsync and scp to and from other hosts. A remote destination is that
 * host, never a path in the working tree; `--delete` there prunes the host's files.
 */
const REMOTE =
  /^(?:([^@/\s:]+)@)?([A-Za-z0-9][A-Za-z0-9._-]*):(?!\/\/)(.*)$|^rsync:\/\/(?:[^@/]+@)?([^/:@]+)(?::[^/]*)?(\/.*)?$/;

function remoteOf(word: Word): { host: string; path: string } | undefined {
  const m = REMOTE.exec(word.value);
  if (!m) return undefined;
  return m[2] !== undefined ? { host: m[2], path: m[3] ?? "" } : { host: m[4] ?? "", path: m[5] ?? "" };
}

const RSYNC_WITH_VALUE = new Set(
  `-e --rsh --exclude --include --filter -f --exclude-from --include-from --files-from --rsync-path
  --backup-dir --partial-dir --temp-dir -T --chmod --chown --timeout --port --log-file --password-file
  --bwlimit --compare-dest --copy-dest --link-dest --suffix --max-size --min-size`.split(/\s+/),
);
const RSYNC_DELETES =
  "--delete --delete-before --delete-after --delete-during --delete-delay --del --delete-excluded --delete-missing-args".split(
    " ",
  );

function rsync(inv: Invocation): void {
  const p = parseArgs(inv.args, RSYNC_WITH_VALUE);
  if (hasAny(p, "-n", "--dry-run", "--list-only")) {
    emit(inv, { name: "rsync --dry-run", effect: "read", summary: "rsync --dry-run only lists" });
    return;
  }
  const dest = p.operands[p.operands.length - 1];
  if (!dest) return;
  const sources = p.operands.slice(0, -1);
  const remote = remoteOf(dest);
  const deleting = hasAny(p, ...RSYNC_DELETES);
  if (remote && deleting)
    emit(inv, {
      name: "rsync --delete",
      effect: "delete",
      summary: `rsync --delete onto ${remote.host}:${remote.path}: deletes every file there the source lacks`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: [{ type: "path", name: dest.value }],
      tags: ["data-loss", "bulk"],
      envHints: [remote.host],
    });
  else if (deleting)
    destroyPaths(inv, "rsync --delete", [dest], {
      recursive: true,
      verb: "mirrors onto, deleting extra files in",
    });
  else if (remote) remoteWrite(inv, "rsync", dest, remote);
  else writePaths(inv, "rsync", [dest]);
  if (hasAny(p, "--remove-source-files")) removeSources(inv, sources);
  sendsSecrets(inv, localFiles(inv, sources), remote ? [remote.host] : []);
}

/** `--remove-source-files`: the sources are deleted once copied (on their host when remote). */
function removeSources(inv: Invocation, sources: Word[]): void {
  const local = sources.filter((s) => !remoteOf(s));
  if (local.length > 0)
    destroyPaths(inv, "rsync --remove-source-files", local, {
      recursive: true,
      verb: "moves away and deletes",
    });
  for (const s of sources.filter((x) => remoteOf(x)))
    emit(inv, {
      name: "rsync --remove-source-files",
      effect: "delete",
      summary: `rsync --remove-source-files deletes ${s.value} once copied`,
      reversibility: "recoverable",
      blastRadius: "service",
      targets: [{ type: "path", name: s.value }],
      envHints: [remoteOf(s)?.host ?? ""],
    });
}

/** System paths on another host: overwriting them can break the host. */
const SYSTEM = /^\/(etc|bin|sbin|usr|boot|lib|lib64|root|var\/lib|opt)(\/|$)|^\/?$/;

function remoteWrite(
  inv: Invocation,
  name: string,
  dest: Word,
  remote: { host: string; path: string },
): void {
  const system = SYSTEM.test(remote.path);
  emit(inv, {
    name: system ? `${name} onto system paths` : name,
    effect: "write",
    summary: `${name} writes ${remote.path || "the home directory"} on ${remote.host}${system ? ": a system path the host runs on" : ""}`,
    reversibility: system ? "irreversible" : "recoverable",
    blastRadius: system ? "host" : "resource",
    targets: [{ type: "path", name: dest.value }],
    envHints: [remote.host],
  });
}

function localFiles(inv: Invocation, words: Word[]): string[] {
  return words.filter((w) => !remoteOf(w)).map((w) => resolvePath(inv.state, w.value) ?? w.value);
}

function scp(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-i", "-P", "-o", "-F", "-J", "-l", "-c", "-S", "-D", "-X"]));
  const dest = p.operands[p.operands.length - 1];
  if (!dest) return;
  const sources = p.operands.slice(0, -1);
  const remote = remoteOf(dest);
  if (remote) remoteWrite(inv, inv.program, dest, remote);
  else writePaths(inv, inv.program, [dest]);
  sendsSecrets(inv, localFiles(inv, sources), remote ? [remote.host] : []);
}

export const TRANSFERS: Record<string, Handler> = { rsync, scp };
