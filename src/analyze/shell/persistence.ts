import { emit, type Invocation } from "./context.js";

/**
 * Files whose content runs or grants access later: a shell's startup files run at the next login
 * (the s1ngularity malware appended `sudo shutdown -h 0` to ~/.bashrc), and a key in
 * authorized_keys lets its owner log in. Text written there is analysed as if it ran now.
 */
const STARTUP =
  /(^|\/)(\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zprofile|\.zshenv|\.zlogin|config\.fish)$|^\/etc\/(profile|bash\.bashrc|zsh\/zshrc)$|^\/etc\/profile\.d\//;
const AUTHORIZED_KEYS = /(^|\/)\.ssh\/authorized_keys2?$/;

/** Secrets that, once sent away, give their holder someone else's access. */
export const SECRET_FILE =
  /(^|\/)(\.aws\/(credentials|config)|\.ssh\/(id_[a-z0-9_]+|[^/]+\.pem)|\.kube\/config|\.docker\/config\.json|\.netrc|\.npmrc|\.pypirc|\.git-credentials|\.env(\.[\w.-]+)?|[^/]+\.pem|[^/]+\.key|credentials\.json|service-account[^/]*\.json|shadow|\.bash_history|\.zsh_history|terraform\.tfstate|\.vault-token|wallet\.dat)$/;

/** A file written on this line: startup files are run, authorized_keys grants a login. */
export function persistentWrite(
  inv: Pick<Invocation, "scope" | "session">,
  path: string,
  text: string | undefined,
  run: (text: string) => void,
): void {
  if (AUTHORIZED_KEYS.test(path)) {
    emit(inv, {
      name: "authorized_keys",
      effect: "privilege",
      summary: `adds a key to ${path}: whoever holds it may log in`,
      reversibility: "recoverable",
      blastRadius: "host",
      targets: [{ type: "path", name: path }],
      tags: ["privilege-escalation"],
    });
  } else if (STARTUP.test(path)) {
    if (text !== undefined) run(text);
    else
      emit(inv, {
        name: "startup file",
        effect: "execute",
        summary: `writes ${path}, which runs at every login, with text airlock cannot see`,
        reversibility: "recoverable",
        blastRadius: "host",
        opaque: true,
        targets: [{ type: "path", name: path }],
      });
  }
}

/** Sending a secret file to another host (`curl -d @~/.aws/credentials https://…`). */
export function sendsSecrets(inv: Invocation, files: string[], destinations: string[]): void {
  const secrets = files.filter((f) => SECRET_FILE.test(f));
  if (secrets.length === 0) return;
  const hosts = destinations.map((u) => /^[a-z]+:\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(u)?.[1] ?? u);
  emit(inv, {
    name: "send secrets",
    effect: "privilege",
    summary: `${inv.program} sends ${secrets.join(", ")} to ${hosts.join(", ") || "another host"}: whoever receives it gets that access, for good`,
    reversibility: "irreversible",
    blastRadius: "account",
    targets: secrets.map((name) => ({ type: "path", name })),
    tags: ["privilege-escalation"],
    envHints: hosts,
  });
}
