import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Identity } from "../../approvals/identity.js";
import { resolveTokenHash } from "../../approvals/tokens.js";
import type { Store } from "../../store/port.js";

/**
 * Agents' AWS credentials, derived from their airlock tokens; nothing more is stored.
 *
 * - the access key id is `ALK` + the first 17 base32 characters of the token's SHA-256, which the store
 *   already keeps (a one-way hash of 256 random bits: the id gives nothing away);
 * - the secret is HMAC-SHA256(credentials key, token hash), base64, cut to AWS's 40 characters. The
 *   credentials key is 32 random bytes in `DATA_DIR/aws-credentials.key` (0600), never in the store.
 *
 * So a copy of the store alone yields no usable secret; revoking the token revokes the keys (the token
 * record is looked up on every request); and nothing new needs storing or migrating.
 */
export const KEY_ID_PREFIX = "ALK";
const KEY_FILE = "aws-credentials.key";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export interface AgentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The server's credentials key, made on first use. */
export function loadOrCreateCredentialsKey(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return key;
  }
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return key;
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function accessKeyIdOf(tokenHash: string): string {
  return KEY_ID_PREFIX + base32(Buffer.from(tokenHash, "hex")).slice(0, 17);
}

export function secretOf(key: Buffer, tokenHash: string): string {
  const mac = createHmac("sha256", key).update(`airlock aws secret v1\n${tokenHash}`).digest();
  return mac.subarray(0, 30).toString("base64");
}

export function credentialsFor(key: Buffer, tokenHash: string): AgentCredentials {
  return { accessKeyId: accessKeyIdOf(tokenHash), secretAccessKey: secretOf(key, tokenHash) };
}

/** Key ids AWS itself issues (IAM users, roles, temporary credentials): never airlock's. */
export function looksLikeAwsKeyId(id: string): boolean {
  return /^(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}$/.test(id);
}

/** Finds the identity and secret behind an access key id, with the token's revocation checked each time. */
export class CredentialResolver {
  readonly #tokens = new Map<string, string>();
  #reloading: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
    private readonly declared: ReadonlyMap<string, Identity>,
  ) {}

  async resolve(accessKeyId: string): Promise<{ identity: Identity; secret: string } | undefined> {
    if (!/^ALK[A-Z2-7]{17}$/.test(accessKeyId)) return undefined;
    let tokenHash = this.#tokens.get(accessKeyId);
    // A key made since the last look: read the token list again (one read at a time, shared). A read
    // already under way may have started before this key's token was stored: then read once more.
    for (let attempt = 0; tokenHash === undefined && attempt < 2; attempt++) {
      const joined = this.#reloading !== undefined;
      this.#reloading ??= this.#reload().finally(() => {
        this.#reloading = undefined;
      });
      await this.#reloading;
      tokenHash = this.#tokens.get(accessKeyId);
      if (!joined) break;
    }
    if (tokenHash === undefined) return undefined;
    const identity = await resolveTokenHash(this.store, tokenHash, this.declared);
    if (!identity) return undefined;
    return { identity, secret: secretOf(this.key, tokenHash) };
  }

  async #reload(): Promise<void> {
    for (const t of await this.store.listTokens()) this.#tokens.set(accessKeyIdOf(t.hash), t.hash);
  }
}
