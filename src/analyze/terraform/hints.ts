/**
 * Names in a plan that may tell its environment. Only attributes that name things are read (an
 * instance's `name`, a bucket's `bucket`, an `Environment` tag), never free text such as a user_data
 * script, which would let any word in it decide.
 */

const NAMING_KEYS = [
  "name",
  "identifier",
  "bucket",
  "cluster_identifier",
  "cluster_name",
  "cluster_id",
  "db_name",
  "database_name",
  "stack_name",
  "function_name",
  "table_name",
  "domain_name",
  "zone_name",
  "namespace",
  "resource_group_name",
  "project",
  "instance_name",
  "environment",
  "env",
  "stage",
  "workspace",
];
const ENV_KEY = /^(?:env|environment|stage|tier|workspace|deployment_environment)$/i;
const TAG_MAPS = ["tags", "tags_all", "labels"];
const MAX_HINT = 200;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function push(hints: string[], value: unknown): void {
  if (typeof value === "string" && value !== "" && value.length <= MAX_HINT && !hints.includes(value)) {
    hints.push(value);
  }
}

/** Hints from a resource's `before` or `after` values. */
export function valueHints(values: unknown, hints: string[] = []): string[] {
  if (!isRecord(values)) return hints;
  for (const key of NAMING_KEYS) push(hints, values[key]);
  for (const mapKey of TAG_MAPS) {
    const map = values[mapKey];
    if (!isRecord(map)) continue;
    for (const [k, v] of Object.entries(map)) if (ENV_KEY.test(k)) push(hints, v);
  }
  return hints;
}

/**
 * Hints for the whole plan: input variables named like an environment (`environment = "prod"`), and
 * provider configurations (`provider "aws" { alias = "prod", profile = "prod-admin" }`).
 */
export function planHints(plan: Record<string, unknown>): string[] {
  const hints: string[] = [];
  if (isRecord(plan.variables)) {
    for (const [name, variable] of Object.entries(plan.variables)) {
      if (ENV_KEY.test(name) && isRecord(variable)) push(hints, variable.value);
    }
  }
  const configuration = isRecord(plan.configuration) ? plan.configuration : undefined;
  const providers =
    configuration && isRecord(configuration.provider_config) ? configuration.provider_config : {};
  for (const provider of Object.values(providers)) {
    if (!isRecord(provider)) continue;
    push(hints, provider.alias);
    const expressions = isRecord(provider.expressions) ? provider.expressions : {};
    for (const key of ["profile", "config_context", "project"]) {
      const expression = expressions[key];
      if (isRecord(expression)) push(hints, expression.constant_value);
    }
  }
  return hints;
}
