import type { Judgement } from "./judge.js";
import type { ErrorFields } from "./replies.js";

/** One statement of a group forwarded only together, as judged. */
export interface Member {
  sql: string;
  node?: string;
  judgement: Judgement;
}

/**
 * Statements that Postgres runs as one implicit transaction (the statements of one simple-query
 * message; the Binds of a pipeline up to its Sync) go on together or not at all, and an approval
 * given to one of them is used only when they all go: otherwise a refused later statement would use
 * up the earlier one's approval without its effect (Postgres rolls it back, or airlock sends none of
 * the message), and the identical retry would be held again for the earlier one.
 *
 * Every member is judged first, releases looked at and not spent (judgeStatement). If one is
 * refused, nothing is spent and the first refusal is what the client is told, with how each other
 * member stands, so that every held request of the group can be approved in one round. Otherwise
 * the releases are spent in order; one used meanwhile by another session (a race) refuses the group,
 * and the releases spent before it in the group are used.
 *
 * Resolves to the refusal, or undefined when the group may go; members' judgements are replaced by
 * their final ones.
 */
export async function settleTogether(members: Member[]): Promise<ErrorFields | undefined> {
  const first = members.findIndex((m) => m.judgement.refusal);
  if (first >= 0) return told(members, first, false);
  for (const [i, m] of members.entries()) {
    if (!m.judgement.spend) continue;
    m.judgement = await m.judgement.spend();
    if (m.judgement.refusal) return told(members, i, true);
  }
  return undefined;
}

function told(members: readonly Member[], refused: number, spending: boolean): ErrorFields {
  const refusal = members[refused]?.judgement.refusal as ErrorFields;
  if (members.length === 1) return refusal;
  const others = members
    .map((m, i) => (i === refused ? "" : `  ${i + 1}. ${standing(m.judgement)}: ${clip(m.sql)}`))
    .filter(Boolean);
  const where = `statement ${refused + 1} of ${members.length} sent together`;
  return {
    ...refusal,
    message: `${refusal.message} (${where})`,
    detail: [
      refusal.detail,
      `Nothing of what was sent together ran${spending ? "; the approvals of the statements before this one were used" : ", and no approval of it was used"}. The others:\n${others.join("\n")}`,
    ]
      .filter(Boolean)
      .join("\n"),
    hint: "Send the same statements again together once every held one is approved; each approval is used when they all go.",
  };
}

function standing(j: Judgement): string {
  const request = j.decision.request;
  if (j.spend) return `approved by ${request?.id}, kept for when all go`;
  if (!j.refusal) return j.decision.code === "released" ? `released by ${request?.id}, used` : "allowed";
  if (j.decision.decision === "hold" && request) return `held by ${request.id} (${request.url})`;
  if (j.decision.decision === "hold") return "held";
  return `denied (${j.decision.code ?? j.decision.reasons[0] ?? "policy"})`;
}

function clip(sql: string): string {
  const line = sql.replace(/\s+/g, " ");
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
