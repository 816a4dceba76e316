// Bundles the CLI into dist/ so that a cold `airlock` start loads one file, and each analyzer's
// chunk (and its parser) only when an action of its kind arrives.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
