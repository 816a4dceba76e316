import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";

/**
 * Coding-agent CLIs started from a shell line. With approvals switched off they act on their own,
 * out of airlock's sight (the s1ngularity malware ran `claude --dangerously-skip-permissions` and
 * `gemini --yolo` to hunt for secrets); otherwise they ask before acting.
 */
const UNATTENDED: Record<string, RegExp> = {
  claude: /^(--dangerously-skip-permissions|--permission-mode=bypassPermissions|bypassPermissions)$/,
  gemini: /^(--yolo|-y|--approval-mode=yolo|yolo)$/,
  codex: /^(--dangerously-bypass-approvals-and-sandbox|--yolo)$/,
  q: /^(--trust-all-tools)$/,
  aider: /^(--yes-always|--yes)$/,
  "cursor-agent": /^(--force|-f)$/,
  amp: /^(--dangerously-allow-all)$/,
};

function agent(inv: Invocation): void {
  const unattended = UNATTENDED[inv.program];
  const flag = inv.argv.find(
    (a, i) => unattended?.test(a) && !(a === "yolo" && inv.argv[i - 1] !== "--approval-mode"),
  );
  if (flag) {
    emit(inv, {
      name: `${inv.program} ${flag}`,
      effect: "execute",
      summary: `${inv.program} ${flag}: an AI agent acting with its approvals switched off, out of airlock's sight`,
      reversibility: "irreversible",
      blastRadius: "service",
      opaque: true,
    });
    return;
  }
  emit(inv, {
    name: inv.program,
    effect: "execute",
    summary: `${inv.program}: an AI agent that asks before it acts`,
    reversibility: "recoverable",
    blastRadius: "resource",
    envHints: ["local"],
  });
}

export const AGENTS: Record<string, Handler> = Object.fromEntries(
  Object.keys(UNATTENDED).map((name) => [name, agent]),
);
