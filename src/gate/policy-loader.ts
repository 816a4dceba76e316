import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CompiledPolicy, compilePolicy } from "../policy/compile.js";
import type { PolicyDocument } from "../policy/schema.js";
import { checkExamples, describeExampleFailure } from "./examples.js";

/** A policy that cannot be used. The message names the file, the line and what is wrong. */
export class PolicyLoadError extends Error {
  readonly code = "policy_error";
}

/** policies/default.yaml, found from this module whether it runs from src/ or from the bundle in dist/. */
export function defaultPolicyPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "policies", "default.yaml");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new PolicyLoadError(
    "the built-in policy policies/default.yaml is missing from this installation; reinstall airlock",
  );
}

/**
 * The examples' verdicts depend on the policy text and on this build of airlock (its analyzers),
 * so both are in the key: a rebuilt airlock checks every policy's examples again.
 */
function verifiedMarker(text: string): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  const self = statSync(fileURLToPath(import.meta.url));
  const build = `${self.size}:${self.mtimeMs}`;
  const digest = createHash("sha256").update(build).update("\0").update(text).digest("hex");
  return join(cache, "airlock", "verified-policies", digest);
}

/** A policy document that already passed parsing and its examples, as JSON (fast to read back). */
function readVerified(marker: string, file: string): CompiledPolicy | undefined {
  try {
    const compiled = compilePolicy(JSON.parse(readFileSync(marker, "utf8")) as PolicyDocument, file);
    return compiled.ok ? compiled.policy : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Read, parse and compile a policy, and run its examples: a policy whose examples fail does not load.
 * A policy that passed is remembered (its parsed document, keyed by the SHA-256 of its text and of
 * this build), so a process that starts often (an agent hook) pays for the YAML parse and the
 * examples once per policy version, not on every call.
 */
export async function loadPolicy(path?: string): Promise<CompiledPolicy> {
  const file = resolve(path ?? defaultPolicyPath());
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new PolicyLoadError(
      `${file}: cannot read the policy (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const marker = verifiedMarker(text);
  const cached = readVerified(marker, file);
  if (cached) return cached;
  // The YAML parser is only loaded when the policy has not been seen before.
  const { formatPolicyErrors, parsePolicy } = await import("../policy/parse.js");
  const parsed = parsePolicy(text, file);
  if (!parsed.ok) throw new PolicyLoadError(formatPolicyErrors(parsed.errors));
  const failures = (await checkExamples(parsed.policy)).filter((r) => !r.passed);
  if (failures.length > 0) {
    throw new PolicyLoadError(
      `${file}: the policy's own examples fail, so it is not loaded:\n${failures.map((f) => `  ${describeExampleFailure(f)}`).join("\n")}`,
    );
  }
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, JSON.stringify(parsed.policy.document));
  } catch {
    // Only a cache: without it the policy is simply parsed and checked again next time.
  }
  return parsed.policy;
}
