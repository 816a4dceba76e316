#!/usr/bin/env node
// The bundle is built by `npm install` (the prepare script); run `npm run build` if it is missing.
import { main } from "../dist/cli.mjs";

main(process.argv).catch((err) => {
  process.stderr.write(`airlock: internal error: ${err?.stack ?? err}\n`);
  process.exitCode = 70;
});
