import type { Notification, Request } from "./messages.js";
import { noteInitialized, type Relay, type Router, recordTools, type ToolTarget } from "./router.js";
import type { UpstreamLink } from "./upstream.js";

/**
 * One upstream: every message passes through unchanged. The proxy only looks at the initialize answer
 * (for the HTTP protocol version) and at tools/list pages (to remember each tool's annotations, and to
 * hide tools with `--hide-denied`). Pagination, resources, prompts, completions, logging and tasks go
 * straight through.
 */
export class PassThroughRouter implements Router {
  readonly #relay: Relay;
  readonly #link: UpstreamLink;

  constructor(relay: Relay, link: UpstreamLink) {
    this.#relay = relay;
    this.#link = link;
  }

  resolveTool(name: string): ToolTarget {
    return { link: this.#link, tool: name };
  }

  handle(request: Request): void {
    const link = this.#link;
    if (request.method === "tools/list") {
      const filter = this.#relay.toolFilter;
      this.#relay.forward(link, request, (result) => recordTools(link, result, filter));
    } else if (request.method === "initialize") {
      this.#relay.forward(link, request, (result) => {
        noteInitialized(link, result);
        return result;
      });
    } else {
      this.#relay.forward(link, request);
    }
  }

  notify(notification: Notification): void {
    this.#link.send(notification);
  }

  listChanged(): void {
    // The client re-lists, and the proxy records the new listing as it passes.
  }
}
