import { hasAny, parseArgs } from "./args.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths, writePaths } from "./filesystem.js";
import { classifyPath, isLocalWork } from "./paths.js";
import { persistentWrite } from "./persistence.js";
import { resolvePath } from "./state.js";
import { literalWord, type Word } from "./words.js";

const RM_RECURSIVE = ["-r", "-R", "--recursive", "--dir", "-d"];

function rm(inv: Invocation): void {
  const p = parseArgs(inv.args);
  const recursive = hasAny(p, ...RM_RECURSIVE);
  destroyPaths(inv, "rm", p.operands, { recursive, verb: "deletes" });
}

function simpleDelete(name: string, recursive: boolean, verb = "deletes"): Handler {
  return (inv) => destroyPaths(inv, name, parseArgs(inv.args).operands, { recursive, verb });
}

function dd(inv: Invocation): void {
  const of = inv.args.find((a) => a.value.startsWith("of="));
  if (!of) {
    emit(inv, { name: "dd", effect: "read", summary: "dd copies to standard output" });
    return;
  }
  const target = literalWord(of.value.slice(3));
  if (/^\/dev\/(sd|nvme|hd|vd|xvd|disk|mmcblk|md|dm-|mapper)/.test(target.value)) {
    emit(inv, {
      name: "dd",
      effect: "delete",
      summary: `dd overwrites the block device ${target.value}`,
      reversibility: "irreversible",
      blastRadius: "host",
      targets: [{ type: "device", name: target.value }],
      tags: ["wipe", "data-loss"],
    });
    return;
  }
  destroyPaths(inv, "dd", [target], { recursive: false, verb: "overwrites" });
}

const IMAGE_FILE = /\.(img|image|iso|raw|qcow2|vhdx?|vmdk|bin|fs|ext[234])$/i;

function deviceWipe(name: string, verb: string): Handler {
  return (inv) => {
    const operands = parseArgs(inv.args, new Set(["-t", "-L", "-O", "-b", "-c", "-n"])).operands;
    const devices = operands.map((o) => o.value);
    // A file system made inside an image file (`mkfs.ext4 disk.img`) touches only that file.
    if (devices.length > 0 && devices.every((d) => IMAGE_FILE.test(d) && !d.startsWith("/dev/"))) {
      writePaths(inv, name, operands);
      return;
    }
    emit(inv, {
      name,
      effect: "delete",
      summary: `${name} ${verb} ${devices.join(" ") || "a device"}: everything on it is lost`,
      reversibility: "irreversible",
      blastRadius: "host",
      targets: devices.map((d) => ({ type: "device", name: d })),
      tags: ["wipe", "data-loss"],
    });
  };
}

/** chmod/chown: recursive on system paths or the home breaks the machine; in the tree, ordinary. */
function permissions(name: string): Handler {
  return (inv) => {
    const p = parseArgs(inv.args, new Set(["--reference"]));
    const [, ...paths] = p.operands;
    const classified = paths.map((w) => classifyPath(w, inv.state));
    const recursive = hasAny(p, "-R", "--recursive");
    const local = classified.every((c) => isLocalWork(c.cls));
    const hostWide = classified.some((c) => ["root", "home", "system-top", "system"].includes(c.cls));
    const mode = p.operands[0]?.value ?? "";
    emit(inv, {
      name,
      effect: local ? "write" : "privilege",
      summary: `${name} ${mode} ${recursive ? "recursively " : ""}on ${classified.map((c) => c.path).join(" ")}`,
      reversibility: hostWide && recursive ? "irreversible" : "recoverable",
      blastRadius: hostWide ? (recursive ? "host" : "service") : "resource",
      targets: classified.map((c) => ({ type: "path", name: c.path })),
      tags:
        hostWide && recursive
          ? ["privilege-escalation"]
          : mode === "777" && !local
            ? ["privilege-escalation"]
            : [],
      envHints: local ? ["local"] : [],
    });
  };
}

/** mv: moving onto /dev/null destroys; moving everything out of the tree loses it. */
function mv(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-t", "--target-directory", "-S", "--suffix"]));
  const operands = [...p.operands];
  const dest = p.values.get("-t") ?? p.values.get("--target-directory");
  const target: Word | undefined = dest !== undefined ? literalWord(dest) : operands.pop();
  if (!target || operands.length === 0) return;
  if (/^\/dev\/null$/.test(target.value)) {
    destroyPaths(inv, "mv", operands, { recursive: true, verb: "moves to /dev/null (deletes)" });
    return;
  }
  const from = operands.map((o) => classifyPath(o, inv.state));
  const to = classifyPath(target, inv.state);
  const movesAway = from.some((f) => !isLocalWork(f.cls)) || !isLocalWork(to.cls);
  const many = operands.length > 1 || operands.some((o) => o.glob);
  if (
    movesAway &&
    (many || from.some((f) => ["tree", "root", "home", "system-top", "git", "parent"].includes(f.cls)))
  ) {
    destroyPaths(inv, "mv", operands, {
      recursive: true,
      verb: `moves away (to ${target.value})`,
      reversibility: "recoverable",
    });
    return;
  }
  writePaths(inv, "mv", [...operands, target]);
}

function cp(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-t", "--target-directory", "-S"]));
  const target = p.values.get("-t") ?? p.values.get("--target-directory");
  const dest = target !== undefined ? literalWord(target) : p.operands[p.operands.length - 1];
  if (dest && p.operands.length >= (target ? 1 : 2)) writePaths(inv, inv.program, [dest]);
}

const TAR_WITH_VALUE = new Set([
  "-f",
  "--file",
  "-C",
  "--directory",
  "-T",
  "--files-from",
  "-X",
  "--exclude-from",
  "--exclude",
]);

/** tar: `--remove-files` deletes what it archived; extracting writes where it is told. */
function tar(inv: Invocation): void {
  const p = parseArgs(inv.args, TAR_WITH_VALUE);
  const operands = [...p.operands];
  // Old-style bundled options without a dash: `tar czf out.tgz dir`.
  const bundled =
    /^[A-Za-z]+$/.test(operands[0]?.value ?? "") && !p.flags.has("-f") ? operands.shift()?.value : "";
  const letters = new Set([...(bundled ?? "")].map((c) => `-${c}`));
  const has = (...f: string[]) => f.some((x) => p.flags.has(x) || letters.has(x));
  if (letters.has("-f")) operands.shift();
  if (p.flags.has("--remove-files")) {
    destroyPaths(inv, "tar --remove-files", operands, {
      recursive: true,
      verb: "archives and then deletes",
      reversibility: "recoverable",
    });
  } else if (has("-x", "--extract", "--get")) {
    const into = p.values.get("-C") ?? p.values.get("--directory") ?? ".";
    writePaths(inv, "tar -x", [literalWord(into)]);
  } else emit(inv, { name: "tar", effect: "read", summary: "tar creates or lists an archive" });
}

export const FILESYSTEM: Record<string, Handler> = {
  tar,
  rm,
  rmdir: simpleDelete("rmdir", false),
  unlink: simpleDelete("unlink", false),
  shred: simpleDelete("shred", false, "overwrites and deletes"),
  srm: simpleDelete("srm", true),
  // rimraf is `rm -rf` as an npm command (`npx rimraf dist`).
  rimraf: simpleDelete("rimraf", true),
  trash: (inv) => writePaths(inv, "trash", parseArgs(inv.args).operands),
  truncate: (inv) =>
    destroyPaths(inv, "truncate", parseArgs(inv.args, new Set(["-s", "--size", "-r"])).operands, {
      recursive: false,
      verb: "truncates",
    }),
  dd,
  mkfs: deviceWipe("mkfs", "formats"),
  wipefs: deviceWipe("wipefs", "erases signatures on"),
  fdisk: deviceWipe("fdisk", "repartitions"),
  parted: deviceWipe("parted", "repartitions"),
  sgdisk: deviceWipe("sgdisk", "repartitions"),
  chmod: permissions("chmod"),
  chown: permissions("chown"),
  chgrp: permissions("chgrp"),
  mv,
  cp,
  touch: (inv) => writePaths(inv, "touch", parseArgs(inv.args, new Set(["-d", "-t", "-r"])).operands),
  mkdir: (inv) => writePaths(inv, "mkdir", parseArgs(inv.args, new Set(["-m"])).operands),
  ln: (inv) => {
    const ops = parseArgs(inv.args, new Set(["-t", "-S"])).operands;
    const dest = ops[ops.length - 1];
    if (dest) writePaths(inv, "ln", [dest]);
  },
  tee: (inv) => {
    const files = parseArgs(inv.args).operands;
    if (files.length > 0) writePaths(inv, "tee", files);
    const text = inv.stdin.kind === "text" && inv.stdin.known ? inv.stdin.text : undefined;
    for (const f of files) {
      const path = f.known ? resolvePath(inv.state, f.value) : null;
      if (path) persistentWrite(inv, path, text, (later) => inv.reparse(later));
    }
    // tee passes its input on: `echo 'rm -rf /' | tee log | sh` still runs that text.
    inv.stdout = inv.stdin;
  },
};
