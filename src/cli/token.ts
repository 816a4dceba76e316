import { userInfo } from "node:os";
import { checkIdentity, Identity } from "../approvals/identity.js";
import { hashToken, issueToken, revokeTokens } from "../approvals/tokens.js";
import { AUDIT_TAMPERED_EXIT, AuditTampered } from "../audit/anchoring.js";
import { credentialsFor, loadOrCreateCredentialsKey } from "../ingress/aws/credentials.js";
import { type ConfigOverrides, loadServerConfig, type ServerConfig } from "../ingress/http/config.js";
import type { Store } from "../store/port.js";
import { openSealedStore } from "../store/sealed.js";

export interface TokenCreateOptions extends ConfigOverrides {
  name: string;
  role: string;
  group?: string[];
  onBehalfOf?: string;
  /** Also print the AWS credentials derived from the token (agents only). */
  aws?: boolean;
}

/** Who did it, for the audit log: the operating-system user at this keyboard. */
function localUser(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    // No passwd entry for this uid (a minimal container): name it by its number.
    return `local:uid-${process.getuid?.() ?? "unknown"}`;
  }
}

/** The store, sealed as the server's is: a token's entry is signed with the log's head, after the log is checked. */
async function withStore(
  overrides: ConfigOverrides,
  use: (opened: { config: ServerConfig; store: Store }) => Promise<number>,
): Promise<number> {
  const config = loadServerConfig(overrides);
  let opened: Awaited<ReturnType<typeof openSealedStore>>;
  try {
    opened = await openSealedStore(config);
  } catch (err) {
    if (!(err instanceof AuditTampered)) throw err;
    process.stderr.write(`airlock token: refusing to write to this log [${err.code}]: ${err.message}\n`);
    return AUDIT_TAMPERED_EXIT;
  }
  try {
    return await use({ config, store: opened.store });
  } finally {
    await opened.store.close();
    await opened.checkpointDir.flush();
  }
}

/** `airlock token create`: prints the token once on standard output. */
export async function runTokenCreate(opts: TokenCreateOptions): Promise<number> {
  return withStore(opts, async ({ config, store }) => {
    const parsed = Identity.safeParse({
      name: opts.name,
      role: opts.role,
      groups: opts.group ?? [],
      ...(opts.onBehalfOf ? { onBehalfOf: opts.onBehalfOf } : {}),
    });
    if (!parsed.success) {
      process.stderr.write(
        `airlock token create: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}\n`,
      );
      return 64;
    }
    const declared = config.identities.get(parsed.data.name);
    if (!declared && config.identities.size > 0) {
      process.stderr.write(
        `airlock token create: ${parsed.data.name} is not declared in ${config.file}, which lists who may call; declare it there first\n`,
      );
      return 64;
    }
    const identity = declared ?? parsed.data;
    if (declared && declared.role !== parsed.data.role) {
      process.stderr.write(
        `airlock token create: ${declared.name} is declared as ${declared.role} in ${config.file}; use that role\n`,
      );
      return 64;
    }
    const check = checkIdentity(identity);
    if (!check.ok) {
      process.stderr.write(`airlock token create: ${check.message}\n`);
      return 64;
    }
    if (opts.aws && identity.role !== "agent") {
      process.stderr.write("airlock token create: --aws is for agents: only an agent signs AWS calls\n");
      return 64;
    }
    const token = await issueToken(store, identity, localUser());
    process.stdout.write(`${token}\n`);
    if (opts.aws) {
      const aws = credentialsFor(loadOrCreateCredentialsKey(config.dataDir), hashToken(token));
      process.stdout.write(
        `AWS_ACCESS_KEY_ID=${aws.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${aws.secretAccessKey}\n`,
      );
    }
    process.stderr.write(
      `token for ${identity.name} (${identity.role}${identity.groups.length ? `, groups ${identity.groups.join(", ")}` : ""}${identity.onBehalfOf ? `, acting for ${identity.onBehalfOf}` : ""}) created; it is shown only this once\n`,
    );
    return 0;
  });
}

export async function runTokenRevoke(name: string, overrides: ConfigOverrides): Promise<number> {
  return withStore(overrides, async ({ store }) => {
    await revokeTokens(store, name, localUser());
    process.stderr.write(`every token of ${name} is revoked\n`);
    return 0;
  });
}

export async function runTokenList(overrides: ConfigOverrides): Promise<number> {
  return withStore(overrides, async ({ store }) => {
    for (const t of await store.listTokens()) {
      const i = t.identity;
      process.stdout.write(
        `${t.hash.slice(0, 12)}  ${i.name.padEnd(16)} ${i.role.padEnd(8)} ${i.groups.join(",").padEnd(16)} ${i.onBehalfOf ? `for ${i.onBehalfOf}` : ""} ${t.revokedAt ? `revoked ${t.revokedAt}` : `created ${t.createdAt}`}\n`,
      );
    }
    return 0;
  });
}
