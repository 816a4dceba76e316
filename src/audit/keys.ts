import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSignerKey, verifierFromSigner } from "./note.js";

const SIGNER_FILE = "audit-signer.key";
const VERIFIER_FILE = "audit-verifier.key";

export interface AuditKeys {
  signerKey: string;
  verifierKey: string;
}

/**
 * The Ed25519 key that signs checkpoints, made on first start and kept in the data directory (mode 0600).
 * The verifier key is also written beside it, but a verifier should keep its own copy (printed by
 * `airlock serve` at start and recorded in the log's config.loaded entry): anyone who can replace
 * files in the data directory can replace both.
 *
 * `keyFile` (`auditKeyFile` in airlock.yaml): the key from a file the operator provides, never
 * created, so that every replica of a cluster signs the one log with one key (docs/deploy.md).
 */
export function loadOrCreateSigner(dataDir: string, origin: string, keyFile?: string): AuditKeys {
  if (keyFile !== undefined) return keysFrom(keyFile, dataDir);
  const signerPath = join(dataDir, SIGNER_FILE);
  if (!existsSync(signerPath)) {
    writeFileSync(signerPath, `${generateSignerKey(origin)}\n`, { mode: 0o600, flag: "wx" });
  }
  const signerKey = readFileSync(signerPath, "utf8").trim();
  const verifierKey = verifierFromSigner(signerKey);
  writeFileSync(join(dataDir, VERIFIER_FILE), `${verifierKey}\n`, { mode: 0o644 });
  return { signerKey, verifierKey };
}

function keysFrom(keyFile: string, dataDir: string): AuditKeys {
  let signerKey: string;
  try {
    signerKey = readFileSync(keyFile, "utf8").trim();
  } catch (err) {
    throw new Error(`cannot read the audit signing key ${keyFile}: ${(err as Error).message}`);
  }
  let verifierKey: string;
  try {
    verifierKey = verifierFromSigner(signerKey);
  } catch (err) {
    throw new Error(`${keyFile} is not an audit signing key (PRIVATE+KEY+…): ${(err as Error).message}`);
  }
  writeFileSync(join(dataDir, VERIFIER_FILE), `${verifierKey}\n`, { mode: 0o644 });
  return { signerKey, verifierKey };
}

/** The verifier key kept in the data directory; `--key` overrides it. */
export function readVerifierKey(dataDir: string): string | undefined {
  const path = join(dataDir, VERIFIER_FILE);
  return existsSync(path) ? readFileSync(path, "utf8").trim() : undefined;
}
