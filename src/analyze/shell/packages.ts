import { BASIC } from "./basic.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";

/** Package managers: local installs and builds are ordinary; changing a public registry is not. */
function packageManager(inv: Invocation) {
  const sub = inv.argv.find((a) => !a.startsWith("-")) ?? "";
  const pkg = inv.argv.filter((a) => !a.startsWith("-"))[1] ?? "";
  if (sub === "unpublish" || sub === "yank") {
    return void emit(inv, {
      name: `${inv.program} ${sub}`,
      effect: "delete",
      summary: `${inv.program} ${sub} ${pkg}: removes a published version others may depend on`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: [{ type: "package", name: pkg }],
      envHints: [pkg],
    });
  }
  if (
    sub === "deprecate" ||
    sub === "publish" ||
    (sub === "dist-tag" && inv.argv.includes("rm")) ||
    (sub === "owner" && inv.argv.includes("rm"))
  ) {
    return void emit(inv, {
      name: `${inv.program} ${sub}`,
      effect: "write",
      summary: `${inv.program} ${sub} ${pkg}: changes a package registry`,
      reversibility: "recoverable",
      blastRadius: "service",
      targets: [{ type: "package", name: pkg }],
    });
  }
  return BASIC.make?.(inv);
}

export const PACKAGES: Record<string, Handler> = {
  npm: packageManager,
  yarn: packageManager,
  pnpm: packageManager,
  cargo: packageManager,
  gem: packageManager,
};
