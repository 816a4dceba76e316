import { parseArgs } from "./args.js";
import { emit, type Invocation, type Stdin } from "./context.js";
import type { Handler } from "./dispatch.js";
import { changeDirectory, resolvePath } from "./state.js";
import { decodeEscapes } from "./words.js";

/** Commands that only read: their arguments are data, never run. */
const READ_ONLY =
  `ls ll la dir cat bat less more head tail wc grep egrep fgrep rg ag ack fd fdfind tree stat file du df
pwd which whereis type whoami id uname hostname date cal uptime ps pgrep top htop free lsof netstat ss ip ifconfig
ping dig nslookup host traceroute diff cmp comm sort uniq cut tr column nl fold fmt paste join jq yq xq basename
dirname realpath readlink md5sum sha1sum sha256sum shasum cksum base64 xxd od hexdump strings history man help info
echo printf true false test [ [[ sleep wait seq yes expr bc env printenv locale tput clear reset tty stty groups last
w who lscpu lsblk lsusb lspci nproc vmstat iostat journalctl dmesg getent openssl gpg-agent ssh-keygen ssh-add
zcat zless gzip gunzip tar zip unzip 7z xz unxz bzip2 less code vim vi nano emacs open xdg-open pbcopy pbpaste
mktemp : set shopt trap alias unalias read printenv exit return break continue shift local declare typeset
export readonly hash ulimit umask disown jobs fg bg kill-0 sha512sum nvm pyenv rbenv asdf direnv`.split(
    /\s+/,
  );

/** Ordinary local development: builds, tests, linters, package installs. */
const LOCAL_DEV =
  `make cmake ninja gradle gradlew mvn mvnw ant sbt cargo rustc rustup go gofmt javac java kotlinc
swift swiftc xcodebuild clang gcc g++ cc ld tsc tsx ts-node deno bun esbuild vite webpack rollup parcel turbo nx
jest vitest mocha pytest tox nox ruff black isort flake8 mypy pyright pylint eslint prettier biome stylelint
npx pnpx yarn pnpm npm pip pip3 pipx poetry uv conda bundle gem rake rails composer dotnet mix elixir iex erl
rebar3 stack cabal ghc lein clojure nodemon pm2 storybook playwright cypress sed awk gawk patch git-lfs pre-commit
husky lerna changeset protoc buf sqlc prisma drizzle-kit alembic flask django-admin manage.py uvicorn gunicorn
hugo jekyll zola mkdocs sphinx-build doxygen shellcheck shfmt hadolint tflint checkov trivy semgrep codespell
wget2 bats jupyter ipython ollama direnv-allow`.split(/\s+/);

function readOnly(inv: Invocation): void {
  emit(inv, { name: inv.program, effect: "read", summary: `${inv.program} only reads` });
  inv.stdout = printed(inv);
}

/** What a reading command prints, as far as it is known: `echo … | sh` runs that text. */
function printed(inv: Invocation): Stdin {
  const p = inv.program;
  if (p === "echo") {
    const flags = /^-[neE]+$/.test(inv.args[0]?.value ?? "") ? (inv.args[0]?.value ?? "") : "";
    const words = flags ? inv.args.slice(1) : inv.args;
    const text = words.map((w) => w.value).join(" ");
    return {
      kind: "text",
      text: `${flags.includes("e") ? decodeEscapes(text) : text}\n`,
      known: words.every((w) => w.known),
    };
  }
  const decoded = decode(inv);
  if (decoded !== undefined) return decoded;
  if (p === "printf") {
    const [format, ...rest] = inv.args.filter((a, i) => !(i === 0 && a.value === "--"));
    const text = printf(
      format?.value ?? "",
      rest.map((w) => w.value),
    );
    return { kind: "text", text, known: inv.args.every((w) => w.known) };
  }
  if (p === "cat") {
    const files = parseArgs(inv.args).operands;
    if (files.length === 0) return inv.stdin;
    const path = files[0]?.known ? resolvePath(inv.state, files[0].value) : null;
    const written = path ? inv.state.files.get(path) : undefined;
    if (files.length === 1 && written !== undefined) return { kind: "text", text: written, known: true };
    if (files.length === 1 && path) return { kind: "file", path };
  }
  return {
    kind: "pipe",
    source: [{ value: p, known: true, ifEmpty: p, glob: false, substitutions: [] }, ...inv.args],
  };
}

/** `base64 -d` and `xxd -r -p` of text seen on the line: `echo cm0gLXJmIC8= | base64 -d | sh` is `rm -rf /`. */
function decode(inv: Invocation): Stdin | undefined {
  const stdin = inv.stdin;
  if (stdin.kind !== "text" || !stdin.known) return undefined;
  const argv = inv.argv;
  const data = stdin.text.replace(/\s+/g, "");
  let text: string | undefined;
  if (
    inv.program === "base64" &&
    argv.some((a) => /^(-d|-D|--decode)$/.test(a)) &&
    /^[A-Za-z0-9+/=_-]*$/.test(data)
  )
    text = Buffer.from(data, "base64").toString("utf8");
  else if (
    inv.program === "xxd" &&
    argv.includes("-r") &&
    argv.includes("-p") &&
    /^([0-9a-fA-F]{2})*$/.test(data)
  )
    text = Buffer.from(data, "hex").toString("utf8");
  // Text that is not valid UTF-8 cannot be a shell line anyone would read: leave it unknown.
  if (text === undefined || text.includes("\uFFFD")) return undefined;
  return { kind: "text", text, known: true };
}

const DIRECTIVE = /%([-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?)([sbdiucxXoqfeEgG%])/g;

/** What `printf FORMAT ARGS…` prints: the format is reused while arguments remain, as bash does. */
function printf(format: string, args: string[]): string {
  let out = "";
  let next = 0;
  // Escapes are read in the format (and %b arguments), never in a %s argument: `printf '%s' '\rm'`.
  const pieces = format.split(DIRECTIVE);
  do {
    for (let i = 0; i < pieces.length; i += 3) {
      out += decodeEscapes(pieces[i] ?? "");
      const kind = pieces[i + 2];
      if (kind === undefined) continue;
      if (kind === "%") {
        out += "%";
        continue;
      }
      const arg = args[next++] ?? "";
      out += kind === "b" ? decodeEscapes(arg) : kind === "c" ? arg.slice(0, 1) : arg;
    }
  } while (next > 0 && next < args.length);
  return out;
}

function localDev(inv: Invocation): void {
  const sub = inv.argv.find((a) => !a.startsWith("-")) ?? "";
  emit(inv, {
    name: sub ? `${inv.program} ${sub}` : inv.program,
    effect: "execute",
    summary: `${inv.program} ${inv.argv.slice(0, 3).join(" ")}: local development work`,
    reversibility: "recoverable",
    blastRadius: "service",
    envHints: ["local"],
  });
}

function cd(inv: Invocation): void {
  const target = parseArgs(inv.args).operands[0];
  if (!target) changeDirectory(inv.state, "~");
  else changeDirectory(inv.state, target.known ? target.value : null);
}

/** `alias name='text'`: later commands named `name` run the text (see dispatch). */
function alias(inv: Invocation): void {
  for (const a of inv.argv) {
    const eq = a.indexOf("=");
    if (eq > 0) inv.state.aliases.set(a.slice(0, eq), a.slice(eq + 1));
  }
  emit(inv, {
    name: "alias",
    effect: "read",
    summary: "alias defines a shorthand; what it runs is analysed where it is used",
  });
}

export const BASIC: Record<string, Handler> = {
  cd,
  pushd: cd,
  popd: (inv) => changeDirectory(inv.state, null),
};
for (const name of READ_ONLY) BASIC[name] = readOnly;
for (const name of LOCAL_DEV) BASIC[name] = localDev;
BASIC.alias = alias;
