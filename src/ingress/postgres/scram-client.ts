import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677), as Postgres uses it: airlock logs in to the
 * upstream with the password from its configuration. No channel binding (`n,,`).
 */
export class ScramClient {
  readonly #nonce = randomBytes(18).toString("base64");
  #authMessage = "";
  #serverSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  /** The SASLInitialResponse data. Postgres ignores the user name here (it has it from the startup). */
  first(): string {
    return `n,,${this.#clientFirstBare()}`;
  }

  /** The SASLResponse data for the server's first message. */
  final(serverFirst: string): string {
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get("r");
    const salt = attrs.get("s");
    const iterations = Number(attrs.get("i"));
    if (!nonce?.startsWith(this.#nonce) || nonce.length === this.#nonce.length)
      throw new Error("the upstream's SCRAM nonce does not extend ours");
    if (!salt || !Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000)
      throw new Error("the upstream's SCRAM first message is malformed");
    const salted = pbkdf2Sync(
      this.password.normalize("NFKC"),
      Buffer.from(salt, "base64"),
      iterations,
      32,
      "sha256",
    );
    const clientKey = hmac(salted, "Client Key");
    const storedKey = createHash("sha256").update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    this.#authMessage = `${this.#clientFirstBare()},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, this.#authMessage);
    const proof = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) proof[i] = (clientKey[i] ?? 0) ^ (signature[i] ?? 0);
    this.#serverSignature = hmac(hmac(salted, "Server Key"), this.#authMessage);
    return `${withoutProof},p=${proof.toString("base64")}`;
  }

  /** Checks the server's proof that it knew the password too. */
  verify(serverFinal: string): void {
    const v = parseAttributes(serverFinal).get("v");
    const expected = this.#serverSignature;
    const got = v ? Buffer.from(v, "base64") : Buffer.alloc(0);
    if (!expected || got.length !== expected.length || !timingSafeEqual(got, expected))
      throw new Error("the upstream's SCRAM server signature is wrong");
  }

  #clientFirstBare(): string {
    return `n=*,r=${this.#nonce}`;
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text).digest();
}

function parseAttributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq === 1) attrs.set(part.slice(0, 1), part.slice(2));
  }
  return attrs;
}
