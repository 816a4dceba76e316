import { parse } from "yaml";
import type { Params } from "../params.js";
import { xmlValues } from "../upstream-call.js";
import { queryApi } from "./query.js";
import type { Preview, PreviewContext } from "./registry.js";

/** CloudFormation DeleteStack: every resource of the stack, its type and DeletionPolicy, and which are kept. */
export async function deleteStack(params: Params, ctx: PreviewContext): Promise<Preview> {
  const stack = String(params.StackName ?? "");
  const read = queryApi(ctx, { service: "cloudformation", version: "2010-05-15" });
  const call = (action: string) => read(action, { StackName: stack });
  const [resourcesXml, templateXml] = await Promise.all([
    call("DescribeStackResources"),
    call("GetTemplate"),
  ]);
  const policies = deletionPolicies(xmlValues(templateXml, "TemplateBody")[0] ?? "");
  const resources = [...resourcesXml.matchAll(/<member>((?:[^<]|<(?!\/?member>))*)<\/member>/g)].map((m) => {
    const one = (tag: string) => xmlValues(m[1] ?? "", tag)[0] ?? "";
    const logicalId = one("LogicalResourceId");
    return {
      logicalId,
      physicalId: one("PhysicalResourceId"),
      type: one("ResourceType"),
      status: one("ResourceStatus"),
      deletionPolicy: policies.get(logicalId) ?? "Delete",
    };
  });
  const kept = resources.filter(
    (r) => r.deletionPolicy === "Retain" || r.deletionPolicy === "RetainExceptOnCreate",
  );
  const deleted = resources.length - kept.length;
  return {
    operation: "cloudformation:DeleteStack",
    summary: `deletes stack ${stack}: ${deleted} of ${resources.length} resources go with it${kept.length ? `; kept (DeletionPolicy Retain): ${kept.map((r) => `${r.logicalId} (${r.type})`).join(", ")}` : ""}; snapshotted: ${resources.filter((r) => r.deletionPolicy === "Snapshot").length}`,
    resources,
  };
}

/** DeletionPolicy per logical id, from a JSON or YAML template (CloudFormation's `!Ref` tags are read as plain values). */
function deletionPolicies(template: string): Map<string, string> {
  const out = new Map<string, string>();
  let doc: unknown;
  try {
    doc = JSON.parse(template);
  } catch {
    try {
      doc = parse(template, { customTags: cfnTags, logLevel: "silent" });
    } catch {
      return out;
    }
  }
  const resources = (doc as { Resources?: Record<string, { DeletionPolicy?: unknown }> })?.Resources ?? {};
  for (const [id, r] of Object.entries(resources))
    if (typeof r?.DeletionPolicy === "string") out.set(id, r.DeletionPolicy);
  return out;
}

const cfnTags = [
  "Ref",
  "GetAtt",
  "Sub",
  "Join",
  "If",
  "Equals",
  "Not",
  "And",
  "Or",
  "FindInMap",
  "Select",
  "Split",
  "ImportValue",
  "GetAZs",
  "Base64",
  "Cidr",
  "Condition",
].flatMap((name) =>
  (["scalar", "seq", "map"] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === "scalar" ? undefined : collection,
    resolve: (value: unknown) => value,
  })),
);
