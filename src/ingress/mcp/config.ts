import * as z from "zod/mini";
import "../../action/zod.js";

/**
 * Which MCP servers the proxy fronts. On the command line that is one server (`-- COMMAND ARGS…` or
 * `--upstream URL`); a config file names several. The file is JSON or YAML, and it takes the
 * `mcpServers` shape that agent CLIs use, so an existing configuration can be pointed at as it is:
 *
 *   servers:            # or mcpServers
 *     filesystem: { command: npx, args: [-y, "@modelcontextprotocol/server-filesystem", /srv/app], environment: production }
 *     github:     { url: "https://api.example.com/mcp", headers: { Authorization: "Bearer …" } }
 *   prefix: auto        # or always: name tools and prompts `server__tool`
 */

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NAME_RULE = "server names are letters, digits, '.', '_' and '-'";
const HTTP_TYPES = ["http", "streamable-http", "streamableHttp"];

/** One server: `command` (stdio, started by the proxy) or `url` (Streamable HTTP). */
const Server = z.looseObject({
  /** The environment this server acts on (production, staging, development): the Actions' context. */
  environment: z.optional(z.string().check(z.minLength(1))),
  type: z.optional(z.string()),
  command: z.optional(z.string().check(z.minLength(1))),
  args: z.optional(z.array(z.string())),
  env: z.optional(z.record(z.string(), z.string())),
  cwd: z.optional(z.string()),
  url: z.optional(z.url()),
  headers: z.optional(z.record(z.string(), z.string())),
});
type Server = z.infer<typeof Server>;

const ConfigFile = z.looseObject({
  servers: z.optional(z.record(z.string(), Server)),
  mcpServers: z.optional(z.record(z.string(), Server)),
  prefix: z.optional(z.enum(["auto", "always"])),
});

export interface UpstreamSpec {
  name: string;
  environment?: string;
  /** A stdio server the proxy starts. */
  command?: { command: string; args: string[]; env?: Record<string, string>; cwd?: string };
  /** A Streamable HTTP server the proxy connects to. */
  url?: string;
  headers?: Record<string, string>;
}

export interface ProxyConfig {
  upstreams: UpstreamSpec[];
  prefix: "auto" | "always";
}

/** Parse a config file's text; throws an Error whose message names the file and what is wrong. */
export async function parseProxyConfig(text: string, file: string): Promise<ProxyConfig> {
  const { parseYamlWithLines } = await import("../../policy/parse.js");
  const yaml = parseYamlWithLines(text, file);
  if (!yaml.ok) {
    const first = yaml.errors[0];
    throw new Error(`${file}:${first?.line ?? 1}: ${first?.message ?? "not valid JSON or YAML"}`);
  }
  const parsed = ConfigFile.safeParse(yaml.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    throw new Error(
      `${file}:${yaml.lineOf(path)}: ${path.join(".") || "(top)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const sections = [
    ["mcpServers", parsed.data.mcpServers],
    ["servers", parsed.data.servers],
  ] as const;
  const upstreams: UpstreamSpec[] = [];
  for (const [section, servers] of sections) {
    for (const [name, server] of Object.entries(servers ?? {})) {
      const wrong = (what: string) =>
        new Error(`${file}:${yaml.lineOf([section, name])}: ${section}.${name}: ${what}`);
      if (!NAME.test(name)) throw wrong(NAME_RULE);
      if (upstreams.some((u) => u.name === name)) throw wrong("this name is used twice");
      upstreams.push(specOf(name, server, wrong));
    }
  }
  if (upstreams.length === 0) throw new Error(`${file}: names no servers (under "servers" or "mcpServers")`);
  return { upstreams, prefix: parsed.data.prefix ?? "auto" };
}

function specOf(name: string, server: Server, wrong: (what: string) => Error): UpstreamSpec {
  if (server.type !== undefined && server.type !== "stdio" && !HTTP_TYPES.includes(server.type))
    throw wrong(`transport "${server.type}" is not supported (stdio or http)`);
  if ((server.command === undefined) === (server.url === undefined))
    throw wrong("needs either `command` (a stdio server) or `url` (a Streamable HTTP server)");
  const spec: UpstreamSpec = { name };
  if (server.environment !== undefined) spec.environment = server.environment;
  if (server.command !== undefined) {
    spec.command = { command: server.command, args: server.args ?? [] };
    if (server.env) spec.command.env = server.env;
    if (server.cwd) spec.command.cwd = server.cwd;
  } else {
    spec.url = server.url;
    if (server.headers) spec.headers = server.headers;
  }
  return spec;
}

/** A server's name when the command line gives none: `npx -y @scope/server-filesystem /x` → `filesystem`. */
export function nameFromCommand(command: string, args: readonly string[]): string {
  const runners = /^(npx|node|bunx|bun|uvx|uv|python3?|pipx|deno|pnpm|yarn|docker|run|dlx|exec|tsx)$/;
  const words = [command, ...args].map((w) => w.split(/[\\/]/).pop() ?? w);
  const word = words.find((w) => !w.startsWith("-") && !runners.test(w.replace(/\.(exe|cmd)$/, ""))) ?? "mcp";
  const base = word
    .replace(/@[^@]*$/, "")
    .replace(/\.(m?js|py|ts)$/, "")
    .replace(/^(mcp-server-|server-|mcp-)/, "")
    .replace(/-mcp(-server)?$/, "");
  const cleaned = base.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return cleaned || "mcp";
}
