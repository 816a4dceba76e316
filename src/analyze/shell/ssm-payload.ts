import type { Invocation } from "./context.js";

type Flags = Map<string, string | true>;

/** The shell documents whose `commands` parameter is a script run on every target. */
const SHELL_DOCUMENTS = new Set(["AWS-RunShellScript"]);

/** `commands=["a","b"]`, `commands="a"`, `{"commands":["a"]}`: the lines of the script. */
export function ssmCommands(parameters: string): string[] | undefined {
  const text = parameters.trim();
  const fromJson = (json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch {
      return undefined;
    }
  };
  const lines = (value: unknown): string[] | undefined =>
    Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
  if (text.startsWith("{")) {
    const doc = fromJson(text) as { commands?: unknown } | undefined;
    return lines(doc?.commands);
  }
  const m = /^commands=(.*)$/s.exec(text);
  if (!m) return undefined;
  const value = (m[1] ?? "").trim();
  if (value.startsWith("[")) return lines(fromJson(value)) ?? [value.slice(1, -1)];
  return [value.replace(/^"(.*)"$/s, "$1")];
}

/** Where the payload runs: named instances, or every instance a tag selects (`Key=tag:env,Values=prod`). */
function targetNames(flags: Flags): string[] {
  const ids = flags.get("--instance-ids");
  const targets = flags.get("--targets");
  const names: string[] = [];
  if (typeof ids === "string") names.push(...ids.split(/[\s,]+/).filter(Boolean));
  if (typeof targets === "string") {
    for (const m of targets.matchAll(/Values=([^\s]+)/g)) names.push(...(m[1] ?? "").split(","));
  }
  return names;
}

/**
 * `aws ssm send-command --document-name AWS-RunShellScript --parameters commands=…`: the commands are
 * shell run on each target, analysed as such with the targets' names; a payload that cannot be read
 * leaves the SendCommand operation opaque, as the AWS analyzer reports it.
 */
export function sendCommandPayload(inv: Invocation, service: string, command: string, flags: Flags): void {
  if (service !== "ssm" || command !== "send-command") return;
  const document = flags.get("--document-name");
  const parameters = flags.get("--parameters");
  if (typeof document !== "string" || !SHELL_DOCUMENTS.has(document) || typeof parameters !== "string")
    return;
  const commands = ssmCommands(parameters);
  if (!commands || commands.length === 0) return;
  const remote = targetNames(flags);
  inv.reparse(commands.join("\n"), {
    depth: inv.scope.depth + 1,
    remote: remote.length > 0 ? remote : ["ssm"],
  });
}
