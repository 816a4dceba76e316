// Records docs/demo.cast (asciicast v2): real runs of the built CLI, typed at a human pace.
// Play it with `asciinema play docs/demo.cast`. Regenerate after changing what the commands print.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const SESSION = [
  [
    "airlock check -- kubectl --context prod-eu delete namespace payments",
    ["check", "--", "kubectl", "--context", "prod-eu", "delete", "namespace", "payments"],
  ],
  ["airlock check -- rm -rf node_modules dist", ["check", "--", "rm", "-rf", "node_modules", "dist"]],
  [`airlock check -- 'rm -rf "$BUILD_DIR/"'`, ["check", "--", 'rm -rf "$BUILD_DIR/"']],
  [
    `airlock check -- 'git commit -m "never run rm -rf / here"'`,
    ["check", "--", 'git commit -m "never run rm -rf / here"'],
  ],
  [
    `airlock explain -- 'psql -h db.prod.internal -c "DELETE FROM users"'`,
    ["explain", "--", 'psql -h db.prod.internal -c "DELETE FROM users"'],
  ],
];

const events = [];
let t = 0.5;
const out = (text) => events.push([Number(t.toFixed(3)), "o", text.replace(/\n/g, "\r\n")]);
for (const [typed, args] of SESSION) {
  out("$ ");
  for (const ch of typed) {
    t += 0.035;
    out(ch);
  }
  t += 0.4;
  out("\n");
  const run = spawnSync(process.execPath, ["bin/airlock.mjs", ...args], {
    encoding: "utf8",
    cwd: process.cwd(),
  });
  t += 0.15;
  out(run.stdout + run.stderr);
  t += 2.5;
}
const header = {
  version: 2,
  width: 120,
  height: 36,
  timestamp: 1795000000,
  title: "airlock check and explain",
};
writeFileSync("docs/demo.cast", `${[header, ...events].map((e) => JSON.stringify(e)).join("\n")}\n`);
console.log(`docs/demo.cast: ${events.length} events, ${t.toFixed(1)} s`);
