import { BASIC } from "./basic.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { runWrittenScript } from "./npm-scripts.js";
import { literalWord, type Word } from "./words.js";

/** npm packages whose command has another name: `npx aws-cdk destroy` runs `cdk destroy`. */
const BIN_OF: Record<string, string> = {
  "aws-cdk": "cdk",
  "netlify-cli": "netlify",
  "firebase-tools": "firebase",
  "sequelize-cli": "sequelize",
  "@nestjs/cli": "nest",
  "@angular/cli": "ng",
  "@prisma/cli": "prisma",
};
/** Package-manager subcommands of their own; any other word is a package's command (`yarn cdk deploy`). */
const BUILTINS = new Set(
  `install i add remove rm uninstall up upgrade update run run-script test t build dev start lint init create
  publish unpublish deprecate why info view list ls outdated audit config cache link unlink global workspace
  workspaces pack version login logout plugin set node import patch store prune rebuild root bin setup env
  deploy fetch licenses doctor help ci dedupe owner dist-tag exec x dlx search tag whoami fund explain format
  fmt check clean`.split(/\s+/),
);
const RUNNER_WITH_VALUE = new Set(["-p", "--package", "--prefix", "--workspace", "-w", "--filter", "-F"]);

function localWork(inv: Invocation): void {
  BASIC.make?.(inv);
}

function binOf(pkg: string): string {
  // `name@version`, `@scope/name@version`: the version starts at the first `@` after the last `/`.
  const at = pkg.indexOf("@", Math.max(1, pkg.lastIndexOf("/") + 1));
  const name = at > 0 ? pkg.slice(0, at) : pkg;
  return BIN_OF[name] ?? name.split("/").pop() ?? name;
}

/** `npx [-y] [-p pkg] BIN ARGS`, `pnpm dlx`, `bunx`: BIN runs as if typed directly. */
function runBin(inv: Invocation, args: Word[]): void {
  let i = 0;
  while (i < args.length) {
    const a = args[i]?.value ?? "";
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-")) break;
    if (a === "-c" || a === "--call") {
      const line = args[i + 1];
      if (line?.known) inv.reparse(line.value);
      else
        emitOpaque(
          inv,
          `${inv.program} -c (opaque)`,
          `${inv.program} -c runs a line only known when it runs`,
        );
      return;
    }
    i += RUNNER_WITH_VALUE.has(a) ? 2 : 1;
  }
  const [bin, ...rest] = args.slice(i);
  const program = bin?.known ? binOf(bin.value) : "";
  if (program && inv.knows(program)) inv.stdout = inv.dispatch([literalWord(program), ...rest]);
  else localWork(inv);
}

/** Package managers: local installs and builds are ordinary; changing a public registry is not. */
export function packageManager(inv: Invocation): void {
  const at = inv.args.findIndex((a) => !a.value.startsWith("-"));
  const sub = inv.args[at]?.value ?? "";
  const rest = inv.args.slice(at + 1);
  const pkg = rest.find((a) => !a.value.startsWith("-"))?.value ?? "";
  if (sub === "unpublish" || sub === "yank") {
    emit(inv, {
      name: `${inv.program} ${sub}`,
      effect: "delete",
      summary: `${inv.program} ${sub} ${pkg}: removes a published version others may depend on`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: [{ type: "package", name: pkg }],
      envHints: [pkg],
    });
  } else if ((sub === "publish" || (sub === "push" && inv.program === "gem")) && !dryRun(inv.argv)) {
    published(inv, sub, pkg);
  } else if (
    sub === "deprecate" ||
    (sub === "dist-tag" && inv.argv.includes("rm")) ||
    (sub === "owner" && inv.argv.includes("rm"))
  ) {
    emit(inv, {
      name: `${inv.program} ${sub}`,
      effect: "write",
      summary: `${inv.program} ${sub} ${pkg}: changes a package registry`,
      reversibility: "recoverable",
      blastRadius: "service",
      targets: [{ type: "package", name: pkg }],
    });
  } else if (sub === "exec" || sub === "x" || sub === "dlx") runBin(inv, rest);
  else if (runWrittenScript(inv, sub, rest)) return;
  else if (at >= 0 && inv.program !== "npm" && !BUILTINS.has(sub) && inv.knows(sub))
    inv.stdout = inv.dispatch(inv.args.slice(at));
  else localWork(inv);
}

function dryRun(argv: string[]): boolean {
  return argv.some((a) => a === "--dry-run" || a === "-n" || a === "--help" || a === "-h");
}

/** A released version cannot be taken back from everyone who fetched it. */
function published(inv: Invocation, sub: string, pkg: string): void {
  emit(inv, {
    name: `${inv.program} ${sub}`,
    effect: "write",
    summary: `${inv.program} ${sub} ${pkg}: publishes to a package registry, for everyone who installs it`,
    reversibility: "irreversible",
    blastRadius: "service",
    targets: [{ type: "package", name: pkg }],
    tags: ["publish"],
  });
}

/** `bundle exec CMD`, `poetry run CMD`, `uv run CMD`: CMD runs in the project's environment. */
function projectRunner(word: string): Handler {
  return (inv) => {
    const sub = inv.argv.find((a) => !a.startsWith("-"));
    if (inv.argv[0] === word) runBin(inv, inv.args.slice(1));
    else if (sub === "publish" && !dryRun(inv.argv)) published(inv, sub, "");
    else localWork(inv);
  };
}

export const PACKAGES: Record<string, Handler> = {
  bundle: projectRunner("exec"),
  poetry: projectRunner("run"),
  uv: projectRunner("run"),
  pipenv: projectRunner("run"),
  pdm: projectRunner("run"),
  hatch: projectRunner("run"),
  rye: projectRunner("run"),
  flit: projectRunner("run"),
  npm: packageManager,
  yarn: packageManager,
  pnpm: packageManager,
  bun: packageManager,
  cargo: packageManager,
  gem: packageManager,
  npx: (inv) => runBin(inv, inv.args),
  pnpx: (inv) => runBin(inv, inv.args),
  bunx: (inv) => runBin(inv, inv.args),
};
