import { withoutTrailing } from "../../action/text.js";
import type { Invocation } from "./context.js";
import { literalWord, type Word } from "./words.js";

/**
 * Windows paths (drive letters, `~`, `$env:USERPROFILE`, `%TEMP%`, UNC shares) mapped onto the
 * places the filesystem rules know, so that `Remove-Item C:\ -Recurse` is a wipe like `rm -rf /`:
 * a drive's root is the root, `C:\Windows` and `C:\Program Files` are system directories, `C:\Users\x`
 * a home, other drives' folders paths outside the working tree. Operations name the paths as written.
 */

const ENV_PLACES: Record<string, string> = {
  USERPROFILE: "~",
  HOME: "~",
  HOMEPATH: "~",
  TEMP: "/tmp",
  TMP: "/tmp",
  APPDATA: "~/AppData/Roaming",
  LOCALAPPDATA: "~/AppData/Local",
  SYSTEMROOT: "/usr",
  WINDIR: "/usr",
  PROGRAMFILES: "/opt",
  "PROGRAMFILES(X86)": "/opt",
  PROGRAMDATA: "/opt/ProgramData",
  SYSTEMDRIVE: "/",
  PUBLIC: "/home/Public",
};

const SYSTEM_FOLDERS: [RegExp, string][] = [
  [/^windows$/i, "/usr"],
  [/^(program files|program files \(x86\)|programdata)$/i, "/opt"],
  [/^users$/i, "/home"],
];

/** The POSIX path the rules judge for a Windows path; undefined when it is not known. */
export function posixOf(path: string): string | undefined {
  let p = path.trim().replace(/^["']|["']$/g, "");
  const env = /^(?:\$env:|%)([\w()]+)(?![\w()])%?(.*)$/i.exec(p);
  if (env) {
    const place = ENV_PLACES[(env[1] ?? "").toUpperCase()];
    if (place === undefined) return undefined;
    p = place + (env[2] ?? "");
  }
  p = p.replace(/\\/g, "/");
  if (/^\/\/[^/]/.test(p)) return `/unc${p.slice(1)}`;
  const drive = /^([a-z]):(\/.*)?$/i.exec(p);
  if (drive) {
    const rest = withoutTrailing(drive[2] ?? "/", "/") || "/";
    const [first = "", ...more] = rest.split("/").filter(Boolean);
    if (first === "" || first === "*") return "/";
    for (const [pattern, place] of SYSTEM_FOLDERS)
      if (pattern.test(first)) return [place, ...more].join("/").replace(/\/$/, "") || "/";
    return `/${drive[1]?.toUpperCase()}:${rest}`;
  }
  return p;
}

/**
 * Words for the filesystem rules from Windows paths, remembering the absolute ones so that the
 * operations recorded can name them as written (`C:\Users\bob`, not the place it was judged as).
 */
export function windowsNamer() {
  const names = new Map<string, string>();
  return {
    word(path: string | undefined): Word {
      const posix = path === undefined ? undefined : posixOf(path);
      if (posix === undefined)
        return { value: path ?? "$path", known: false, ifEmpty: "", glob: false, substitutions: [] };
      if (posix.startsWith("/") && path !== undefined) names.set(posix, path);
      return literalWord(posix);
    },
    /** Rename the paths of the operations recorded since `from`. */
    rename(inv: Pick<Invocation, "session">, from: number): void {
      for (const op of inv.session.operations.slice(from)) {
        for (const t of op.targets) {
          const shown = t.type === "path" ? names.get(t.name) : undefined;
          if (shown === undefined) continue;
          op.summary = op.summary.split(t.name).join(shown);
          t.name = shown;
        }
      }
    },
  };
}

export type WindowsNamer = ReturnType<typeof windowsNamer>;
