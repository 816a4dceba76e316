import { writeFileSync } from "node:fs";
import { generateSignerKey, verifierFromSigner } from "../audit/note-keys.js";

/**
 * `airlock audit keygen --origin NAME --out FILE`: the signing key a cluster's replicas share
 * (`auditKeyFile`), written with mode 0600 and never over an existing file; the verifier key on stdout.
 */
export function runAuditKeygen(opts: { origin?: string; out?: string }): number {
  if (!opts.origin || /[\s+]/.test(opts.origin) || !opts.out) {
    process.stderr.write(
      "airlock audit keygen: give --origin NAME (the log's name, one word without spaces or '+') and --out FILE\n",
    );
    return 64;
  }
  const signer = generateSignerKey(opts.origin);
  try {
    writeFileSync(opts.out, `${signer}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    process.stderr.write(`airlock audit keygen: cannot write ${opts.out}: ${(err as Error).message}\n`);
    return 73;
  }
  process.stdout.write(`${verifierFromSigner(signer)}\n`);
  return 0;
}
