import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { UpstreamSpec } from "./config.js";
import { SpawnTransport } from "./spawn-transport.js";
import { UpstreamLink } from "./upstream.js";

/** A fresh connection to one configured upstream (a started process, or an HTTP client). */
export function createLink(spec: UpstreamSpec): UpstreamLink {
  if (spec.command) return new UpstreamLink(spec.name, new SpawnTransport(spec.command), spec.environment);
  if (spec.url) {
    const transport = new StreamableHTTPClientTransport(new URL(spec.url), {
      ...(spec.headers ? { requestInit: { headers: spec.headers } } : {}),
    });
    return new UpstreamLink(spec.name, transport, spec.environment);
  }
  throw new Error(`upstream "${spec.name}" has neither a command nor a url`);
}

/** How one upstream is started or reached, for messages. */
export function describeUpstream(spec: UpstreamSpec): string {
  return spec.command ? [spec.command.command, ...spec.command.args].join(" ") : (spec.url ?? "");
}
