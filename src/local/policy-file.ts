import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkExamples, describeExampleFailure } from "../gate/examples.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { formatPolicyErrors, policyFromData } from "../policy/document.js";

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
 * The built-in policy, parsed when the bundle was built (scripts/build.mjs), with the SHA-256 of the
 * text it came from. Running from sources (tests), there is none and the YAML is parsed.
 */
declare const __AIRLOCK_BUILTIN_POLICY__: string | undefined;

interface EmbeddedPolicy {
  sha256: string;
  document: unknown;
}

function embeddedPolicy(): EmbeddedPolicy | undefined {
  return typeof __AIRLOCK_BUILTIN_POLICY__ === "string"
    ? (JSON.parse(__AIRLOCK_BUILTIN_POLICY__) as EmbeddedPolicy)
    : undefined;
}

/**
 * The policy is always derived from the text of its file. When that text is the built-in policy's,
 * byte for byte, the document parsed at build time stands in for the YAML parse, which is the slow
 * part of a cold start; any other text is parsed.
 */
async function compileText(text: string, file: string): Promise<CompiledPolicy> {
  const embedded = embeddedPolicy();
  const parsed =
    embedded && embedded.sha256 === createHash("sha256").update(text).digest("hex")
      ? policyFromData(embedded.document, file)
      : (await import("../policy/parse.js")).parsePolicy(text, file);
  if (!parsed.ok) throw new PolicyLoadError(formatPolicyErrors(parsed.errors));
  return parsed.policy;
}

/**
 * Where a policy whose examples passed is remembered. The examples' verdicts depend on the policy
 * text and on this build of airlock (its analyzers), so both are in the key. The marker only lets
 * a later start skip the examples, which are the policy's self-test; it is never read as the policy,
 * because anyone who can write the cache (an agent running as the same user) could then choose it.
 */
export function verifiedMarker(text: string): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  const self = statSync(fileURLToPath(import.meta.url));
  const build = `${self.size}:${self.mtimeMs}`;
  const digest = createHash("sha256").update(build).update("\0").update(text).digest("hex");
  return join(cache, "airlock", "verified-policies", digest);
}

/** A policy file (the built-in one when no path is given) and its text; unreadable is a PolicyLoadError. */
export function readPolicyFile(path?: string): { file: string; text: string } {
  const file = resolve(path ?? defaultPolicyPath());
  try {
    return { file, text: readFileSync(file, "utf8") };
  } catch (err) {
    throw new PolicyLoadError(
      `${file}: cannot read the policy (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

/**
 * Read, parse and compile a policy, and run its examples: a policy whose examples fail does not load.
 * Passing examples are remembered, so a process that starts often (an agent hook) runs them once
 * per policy version and build, not on every call.
 */
export async function loadPolicy(path?: string): Promise<CompiledPolicy> {
  return (await loadPolicyFile(path)).policy;
}

/**
 * The same, with the text the policy was compiled from: the file is read once, so what a caller
 * records about it (its SHA-256 in `config.loaded`) is the policy in force, even if the file changes.
 */
export async function loadPolicyFile(
  path?: string,
): Promise<{ policy: CompiledPolicy; file: string; text: string }> {
  const { file, text } = readPolicyFile(path);
  const policy = await compileText(text, file);
  const marker = verifiedMarker(text);
  if (existsSync(marker)) return { policy, file, text };
  const failures = (await checkExamples(policy)).filter((r) => !r.passed);
  if (failures.length > 0) {
    throw new PolicyLoadError(
      `${file}: the policy's own examples fail, so it is not loaded:\n${failures.map((f) => `  ${describeExampleFailure(f)}`).join("\n")}`,
    );
  }
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, `${file}\n`);
  } catch {
    // Only a cache: without it the examples simply run again next time.
  }
  return { policy, file, text };
}
