import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSecureContext, type SecureContext } from "node:tls";

/**
 * The certificate the proxy offers clients that ask for TLS (`sslmode=require`). Without one in the
 * configuration, a self-signed pair is made once with openssl and kept in the data directory:
 * `require` works at once; `verify-full` needs a configured certificate the clients trust.
 */
export function proxySecureContext(
  dataDir: string,
  configured?: { cert: string; key: string },
): SecureContext {
  const paths = configured ?? generated(dataDir);
  return createSecureContext({ cert: readFileSync(paths.cert), key: readFileSync(paths.key) });
}

function generated(dataDir: string): { cert: string; key: string } {
  const dir = join(dataDir, "postgres-tls");
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A configuration of its own, so the system's openssl.cnf (missing on some hosts) is not needed.
  const conf = join(dir, "openssl.cnf");
  writeFileSync(conf, "[req]\ndistinguished_name = dn\n[dn]\n");
  try {
    const args = [
      "req",
      "-config",
      conf,
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
    ];
    args.push("-nodes", "-days", "825", "-subj", "/CN=airlock postgres proxy");
    args.push("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert);
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    throw new Error(
      `cannot generate a TLS certificate for the postgres proxy with openssl (${(err as Error).message}); install openssl or set postgres.tls.cert and postgres.tls.key`,
    );
  }
  return { cert, key };
}
