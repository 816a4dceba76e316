import { type Call, type Effect, pathOf } from "./model.js";
import { dynamicCode, EXEC_RULES } from "./rules-exec.js";
import { fileEffects } from "./rules-files.js";
import { serviceEffect } from "./rules-services.js";

/**
 * Modules whose calls change nothing outside the process (or only read): code calling only these,
 * builtins and methods of its own values is a read. Any other imported module's call is work airlock
 * has no rule for (`os.rename`, a socket): recorded, never called a read.
 */
const SAFE_MODULES = new Set(
  `json base64 binascii math cmath re sys time datetime calendar hashlib hmac uuid random secrets string textwrap
itertools functools operator collections decimal fractions statistics platform pprint struct codecs unicodedata
locale typing dataclasses enum copy heapq bisect array zlib gzip bz2 lzma csv html xml urllib.parse shlex glob
fnmatch difflib inspect ast tokenize keyword io os.path posixpath ntpath sysconfig getpass tomllib configparser
path util url querystring assert crypto string_decoder punycode readline events buffer timers
JSON Math Object Array String Number Date Promise Buffer Intl Reflect Symbol Set Map RegExp console
Base64 Digest SecureRandom Time Date URI CGI YAML Psych Set ERB Shellwords Benchmark`.split(/\s+/),
);
const SAFE_PREFIXES =
  /^(os\.(path|environ|getenv|getcwd|listdir|scandir|walk|stat|lstat|getpid|getuid|cpu_count|uname|sep|linesep|name|get_terminal_size|access|fspath)|pathlib\.Path(\.\w+)?\.(exists|is_\w+|read_text|read_bytes|iterdir|glob|rglob|resolve|stat|absolute|name|suffix|parent|open|with_\w+|relative_to|as_posix|home|cwd|joinpath|expanduser)|fs\.(readFileSync|readFile|existsSync|exists|readdirSync|readdir|statSync|stat|lstatSync|realpathSync|accessSync)|fs\.promises\.(readFile|readdir|stat|access)|os\.(homedir|tmpdir|hostname|platform|cpus|arch|release|type|userInfo|EOL)|process\.(env|cwd|version|versions|platform|arch|argv|exit|stdout|stderr|uptime|memoryUsage|hrtime|nextTick|on)|File\.(read|exist\?|exists\?|basename|dirname|join|expand_path|readlines|file\?|directory\?|size|extname)|Dir\.(pwd|home|glob|entries|exist\?|children|\[\]))/;
const DESTRUCTIVE_METHOD = /^(delete|destroy|drop|purge|terminate|truncate|wipe|rmtree|shutdown|kill)/i;

export function effectsOfCall(call: Call): Effect[] {
  const via = call.text.replace(/\s+/g, " ").slice(0, 80);
  const dynamic = dynamicCode(call, via);
  if (dynamic) return [dynamic];
  const name = pathOf(call.chain);
  for (const [pattern, effect] of EXEC_RULES) {
    if (!pattern.test(name)) continue;
    const last = call.chain[call.chain.length - 1]?.call;
    const e = last ? effect(last, via, call) : undefined;
    if (e) return [e];
  }
  const files = fileEffects(call, via);
  if (files) return files;
  const service = serviceEffect(call, via);
  if (service) return [service];
  return isOther(call) ? [{ kind: "other", via }] : [];
}

function isOther(call: Call): boolean {
  const root = call.chain[0];
  const name = pathOf(call.chain);
  if (root?.module) {
    const module = root.name;
    return (
      !SAFE_MODULES.has(module) &&
      !SAFE_PREFIXES.test(name) &&
      !SAFE_MODULES.has(pathOf(call.chain.slice(0, 2)))
    );
  }
  if (SAFE_MODULES.has(root?.name ?? "")) return false;
  const last = call.chain[call.chain.length - 1];
  return call.chain.length > 1 && DESTRUCTIVE_METHOD.test(last?.name ?? "") && !SAFE_PREFIXES.test(name);
}

/** A function that runs commands or deletes files, passed as a value (`map(os.system, cmds)`): not followed. */
export function sensitiveReference(path: string): boolean {
  return (
    EXEC_RULES.some(([pattern]) => pattern.test(path)) ||
    /^(shutil\.rmtree|os\.(remove|unlink|rmdir)|fs\.(rm|rmSync|unlink|unlinkSync)|FileUtils\.rm\w*|eval|exec)$/.test(
      path,
    )
  );
}
