#!/usr/bin/env node
// Run by `npm test` before the tests (the `pretest` script): makes sure the real things the tests
// drive are on this machine, installing what it can, and otherwise stops with a message that says
// how to get it. Nothing is skipped silently: a test whose dependency is missing would fail anyway,
// this only makes the reason plain and the fix one command.
//
// - Chromium (Debian's package) for the approvers' page, driven by playwright-core;
// - PostgreSQL running on 127.0.0.1:5432 (started when installed but stopped);
// - moto_server and the AWS CLI (the emulator and the real client the AWS endpoint is tested with).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const problems = [];

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } }).status === 0;
}

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
let aptUpdated = false;
function aptInstall(...packages) {
  if (!isRoot || !onPath("apt-get")) return false;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) aptUpdated = run("apt-get", ["update", "-qq"], env);
  return run("apt-get", ["install", "-y", "-qq", ...packages], env);
}

// Chromium.
const chromium = process.env.AIRLOCK_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.log(`test setup: ${chromium} is missing; installing Debian's chromium`);
  if (!aptInstall("chromium") || !existsSync(chromium))
    problems.push(
      `no Chromium at ${chromium}: install it with \`sudo apt-get install chromium\` (Debian/Ubuntu), ` +
        "or point AIRLOCK_CHROMIUM at a Chromium or Chrome binary",
    );
}

// PostgreSQL.
function postgresUp() {
  return spawnSync("pg_isready", ["-q", "-h", "127.0.0.1", "-p", "5432"], { stdio: "ignore" }).status === 0;
}
if (!onPath("pg_isready") && !existsSync("/usr/lib/postgresql")) {
  console.log("test setup: PostgreSQL is missing; installing Debian's postgresql");
  aptInstall("postgresql", "postgresql-client");
}
if (!postgresUp() && existsSync("/etc/postgresql")) {
  for (const version of readdirSync("/etc/postgresql")) {
    console.log(`test setup: starting PostgreSQL ${version}`);
    run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"]);
  }
  for (let i = 0; i < 100 && !postgresUp(); i++) execFileSync("sleep", ["0.1"]);
}
if (!postgresUp())
  problems.push(
    "PostgreSQL does not answer on 127.0.0.1:5432: install it (`sudo apt-get install postgresql`) and " +
      "start it (`sudo pg_ctlcluster 15 main start`), with a role for this user that may create databases",
  );

// The AWS emulator and CLI.
for (const [cmd, how] of [
  ["moto_server", "pip install 'moto[server]'"],
  ["aws", "pip install awscli"],
]) {
  if (!onPath(cmd)) problems.push(`\`${cmd}\` is not on PATH: install it with \`${how}\``);
}

if (problems.length > 0) {
  console.error(`\nThe tests need these, and this machine lacks them:\n- ${problems.join("\n- ")}\n`);
  process.exit(1);
}
