import { type Call, type CallArgs, type Effect, pathOf, type Segment, textOf, type Value } from "./model.js";

/** File deletions and writes in every interpreter's spelling, with the paths they name. */

/** Names that mean the home directory, the working directory or the temporary directory. */
const HOME =
  /^(pathlib\.Path\.home|os\.path\.expanduser|os\.homedir|os\.environ\.HOME|os\.getenv|process\.env\.HOME|ENV\.HOME|Dir\.home|getenv|\$_SERVER\.HOME|\$ENV\.HOME)$/;
const CWD = /^(os\.getcwd|process\.cwd|Dir\.pwd|getcwd|pathlib\.Path\.cwd)$/;
const TEMP = /^(tempfile\.gettempdir|os\.tmpdir|Dir\.tmpdir|sys_get_temp_dir)$/;
const JOIN =
  /^(os\.path\.join|path\.join|path\.resolve|File\.join|pathlib\.Path|Pathname|File\.expand_path)$/;

function lastCall(chain: Segment[]): CallArgs | undefined {
  return chain[chain.length - 1]?.call;
}

/** The path a value names, as far as it is known (`Path.home()` is `~`). */
export function pathText(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.t === "str") return v.s;
  if (v.t !== "ref") return undefined;
  const name = pathOf(v.chain);
  const call = lastCall(v.chain);
  if (HOME.test(name)) {
    const arg = textOf(call?.args[0]);
    if (name.endsWith("expanduser") || name.endsWith("expand_path")) return arg;
    if (name.endsWith("getenv") && arg !== "HOME" && arg !== "USERPROFILE") return undefined;
    return "~";
  }
  if (CWD.test(name)) return ".";
  if (TEMP.test(name)) return "/tmp";
  if (JOIN.test(name) && call) {
    const parts = call.args.map(pathText);
    if (parts.length === 0) return ".";
    if (parts.some((p) => p === undefined)) return undefined;
    return (parts as string[]).reduce((a, b) => (b.startsWith("/") ? b : `${a.replace(/\/$/, "")}/${b}`));
  }
  return undefined;
}

/** Paths given to a call: one value, or a list of them. */
function pathsOf(v: Value | undefined): (string | undefined)[] {
  if (v?.t === "list") return v.items.map(pathText);
  return [pathText(v)];
}

type FileRule = [RegExp, boolean | "option", "delete" | "write"];

/** `recursive`: true, false, or "option" (the `{ recursive: true }` / `recursive=True` argument decides). */
const FILE_RULES: FileRule[] = [
  [
    /^shutil\.rmtree$|^FileUtils\.(rm_rf|rm_r|remove_dir|remove_entry|remove_entry_secure|rmtree)$/,
    true,
    "delete",
  ],
  [
    /^(fs-extra\.(remove|removeSync|emptyDir|emptyDirSync)|rimraf(\.\w+)?|rimrafSync|del(\.\w+)?)$/,
    true,
    "delete",
  ],
  [/^(File::Path\.)?(rmtree|remove_tree)$|^Pathname\.rmtree$/, true, "delete"],
  [/^(fs|fs-extra|fs\.promises)\.(rm|rmSync|rmdir|rmdirSync)$/, "option", "delete"],
  [
    /^os\.(remove|unlink|rmdir|removedirs)$|^(fs|fs-extra|fs\.promises)\.(unlink|unlinkSync)$|^FileUtils\.(rm|rm_f|remove|remove_file|rmdir|safe_unlink)$|^(File|Dir)\.(delete|unlink|rmdir)$|^(unlink|rmdir)$/,
    false,
    "delete",
  ],
  [
    /^(fs|fs-extra|fs\.promises)\.(writeFile|writeFileSync|appendFile|appendFileSync|outputFile\w*)$/,
    false,
    "write",
  ],
  [/^(File\.(write|binwrite)|file_put_contents)$/, false, "write"],
];

/** `Path("x").unlink()`, `Pathname.new("x").rmtree`, `Path("x").write_text()`: the path is the receiver's. */
const METHOD_ON_PATH =
  /^(pathlib\.Path|Pathname(\.new)?)\.(unlink|rmdir|rmtree|delete|write_text|write_bytes)$/;

function recursiveOption(a: CallArgs): boolean {
  const options = a.args.find((v) => v.t === "obj");
  const flag =
    a.kwargs.get("recursive") ?? (options?.t === "obj" ? options.fields.get("recursive") : undefined);
  return flag?.t === "bool" ? flag.v : flag !== undefined;
}

export function fileEffects(call: Call, via: string): Effect[] | undefined {
  const name = pathOf(call.chain);
  const a = lastCall(call.chain);
  if (!a) return undefined;
  const onPath = METHOD_ON_PATH.exec(name);
  if (onPath) {
    const receiver = call.chain[call.chain.length - 2]?.call ?? call.chain[call.chain.length - 3]?.call;
    const path = pathText(receiver?.args[0]);
    const verb = onPath[3] ?? "";
    if (verb.startsWith("write")) return [{ kind: "write", path, via }];
    return [{ kind: "delete", path, recursive: verb === "rmtree", via }];
  }
  if (name === "open" || name === "io.open" || name === "File.open" || name === "fopen") {
    const mode = textOf(a.args[1] ?? a.kwargs.get("mode")) ?? "r";
    return /[wax+]/.test(mode) ? [{ kind: "write", path: pathText(a.args[0]), via }] : [];
  }
  for (const [pattern, recursive, kind] of FILE_RULES) {
    if (!pattern.test(name)) continue;
    const first = a.args[0] ?? a.kwargs.get("path");
    // Perl's and PHP's unlink take a list; Ruby's FileUtils a list or an array.
    const list = kind === "delete" && !/^(fs|os|shutil|rimraf|del)\b/.test(name) && a.args.length > 1;
    const values = list ? a.args.filter((v) => v.t !== "obj") : [first];
    const rec = recursive === "option" ? recursiveOption(a) : recursive;
    return values.flatMap((v) =>
      pathsOf(v).map(
        (path): Effect => (kind === "write" ? { kind, path, via } : { kind, path, recursive: rec, via }),
      ),
    );
  }
  return undefined;
}
