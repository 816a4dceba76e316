import type { Params } from "../params.js";
import { all, textAt } from "../xml.js";
import { queryApiXml } from "./query.js";
import type { Preview, PreviewContext, Previewer, PreviewRow } from "./registry.js";

const BEANSTALK = { service: "elasticbeanstalk", version: "2010-12-01" };

/** The kinds of resource DescribeEnvironmentResources lists, and the element naming each one. */
const KINDS: readonly [list: string, type: string, id: string][] = [
  ["AutoScalingGroups", "AWS::AutoScaling::AutoScalingGroup", "Name"],
  ["Instances", "AWS::EC2::Instance", "Id"],
  ["LaunchConfigurations", "AWS::AutoScaling::LaunchConfiguration", "Name"],
  ["LaunchTemplates", "AWS::EC2::LaunchTemplate", "Id"],
  ["LoadBalancers", "AWS::ElasticLoadBalancing::LoadBalancer", "Name"],
  ["Triggers", "AWS::AutoScaling::Trigger", "Name"],
  ["Queues", "AWS::SQS::Queue", "Name"],
];

/**
 * Elastic Beanstalk TerminateEnvironment / RebuildEnvironment: the environment (status, CNAME, platform)
 * and every resource it runs (instances, Auto Scaling groups, load balancers, queues…). Terminating
 * deletes them; rebuilding deletes and recreates them.
 */
export function environmentResources(operation: string): Previewer {
  return async (params: Params, ctx: PreviewContext): Promise<Preview> => {
    const selector: Record<string, string> = {};
    if (typeof params.EnvironmentId === "string") selector.EnvironmentId = params.EnvironmentId;
    if (typeof params.EnvironmentName === "string") selector.EnvironmentName = params.EnvironmentName;
    const call = queryApiXml(ctx, BEANSTALK);
    const listed = await call("DescribeEnvironments", {
      ...(selector.EnvironmentId ? { "EnvironmentIds.member.1": selector.EnvironmentId } : {}),
      ...(selector.EnvironmentName ? { "EnvironmentNames.member.1": selector.EnvironmentName } : {}),
    });
    const env = all(listed, "DescribeEnvironmentsResult", "Environments", "member")[0];
    const name = selector.EnvironmentName ?? selector.EnvironmentId ?? "(none)";
    if (!env) return { operation, summary: `no environment ${name} was found upstream` };
    const rows: PreviewRow[] = [
      {
        type: "AWS::ElasticBeanstalk::Environment",
        id: textAt(env, "EnvironmentName"),
        status: textAt(env, "Status"),
        detail: [textAt(env, "CNAME"), textAt(env, "SolutionStackName")].filter(Boolean).join(", "),
      },
    ];
    const verb = operation.endsWith("RebuildEnvironment") ? "deletes and recreates" : "terminates";
    let error: string | undefined;
    try {
      const xml = await call("DescribeEnvironmentResources", selector);
      const resources = all(xml, "DescribeEnvironmentResourcesResult", "EnvironmentResources")[0];
      for (const [list, type, id] of KINDS)
        for (const m of all(resources, list, "member")) rows.push({ type, id: textAt(m, id) });
    } catch (err) {
      error = `the environment's resources could not be read: ${(err as Error).message}`;
    }
    return {
      operation,
      summary: `${verb} environment ${textAt(env, "EnvironmentName")} (${textAt(env, "Status")}) of application ${textAt(env, "ApplicationName")}${error ? "" : ` and its ${rows.length - 1} resources`}`,
      resources: rows,
      ...(error ? { error } : {}),
    };
  };
}
