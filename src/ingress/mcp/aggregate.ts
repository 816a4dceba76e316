import { MergedListings } from "./listings.js";
import { mergeInitialize, type NamePrefix } from "./merge.js";
import { errorResponse, type Notification, paramsOf, type Request, RPC, resultResponse } from "./messages.js";
import { noteInitialized, type Relay, type Router, type ToolTarget } from "./router.js";
import type { UpstreamLink } from "./upstream.js";

export type { NamePrefix };

type Result = Record<string, unknown>;

/**
 * Several upstreams behind one proxy. Listings are merged from every server (all pages, answered as
 * one page) with names kept unless two servers share one; calls go to the server an exposed name or a
 * resource URI belongs to. Each server's own name is what becomes the Action's `server`.
 */
export class AggregateRouter implements Router {
  readonly #relay: Relay;
  readonly #links: readonly UpstreamLink[];
  readonly #listings: MergedListings;

  constructor(relay: Relay, links: readonly UpstreamLink[], prefix: NamePrefix) {
    this.#relay = relay;
    this.#links = links;
    this.#listings = new MergedListings(links, prefix, relay.toolFilter);
  }

  resolveTool(name: string): ToolTarget | Promise<ToolTarget | undefined> | undefined {
    // The hot path: a name already listed is routed without a promise.
    const known = this.#listings.knownTool(name);
    if (known) return { link: known.link, tool: known.name };
    return this.#listings
      .tool(name)
      .then((origin) => (origin ? { link: origin.link, tool: origin.name } : undefined));
  }

  handle(request: Request): void {
    const answer = this.#answerFor(request);
    if (answer !== undefined) this.#answer(request, answer);
  }

  /** The proxy's own answer to a request; undefined when the request was routed to one server. */
  #answerFor(request: Request): Promise<Result> | undefined {
    const params = paramsOf(request);
    switch (request.method) {
      case "initialize":
        return this.#initialize(request);
      case "ping":
        return Promise.resolve({});
      case "tools/list":
        return this.#listings.tools().then((tools) => ({ tools }));
      case "prompts/list":
        return this.#listings.prompts().then((prompts) => ({ prompts }));
      case "resources/list":
        return this.#listings.resources().then((resources) => ({ resources }));
      case "resources/templates/list":
        return this.#listings.templates().then((resourceTemplates) => ({ resourceTemplates }));
      case "logging/setLevel":
        return this.#everyServer("logging", "logging/setLevel", params);
      case "prompts/get":
        this.#toPrompt(request, params.name, (name) => ({ ...params, name }));
        return undefined;
      case "resources/read":
      case "resources/subscribe":
      case "resources/unsubscribe":
        this.#toResource(request, params.uri);
        return undefined;
      case "completion/complete": {
        const ref = (params.ref ?? {}) as Result;
        if (ref.type === "ref/prompt")
          this.#toPrompt(request, ref.name, (name) => ({ ...params, ref: { ...ref, name } }));
        else this.#toResource(request, ref.uri);
        return undefined;
      }
      default: {
        const message = `${request.method} is not supported while airlock combines several MCP servers`;
        return Promise.reject(Object.assign(new Error(message), { code: RPC.methodNotFound }));
      }
    }
  }

  notify(notification: Notification): void {
    for (const link of this.#links) link.send(notification);
  }

  listChanged(): void {
    // The next call to a name not in the maps lists again; the client re-lists on the notification.
  }

  #answer(request: Request, result: Promise<Result>): void {
    result.then(
      (r) => this.#relay.respond(request.id, resultResponse(request.id, r)),
      (err: Error & { code?: number }) =>
        this.#relay.respond(
          request.id,
          errorResponse(request.id, err.code ?? RPC.internalError, err.message),
        ),
    );
  }

  async #initialize(request: Request): Promise<Result> {
    const params = paramsOf(request);
    const results = await Promise.all(
      this.#links.map((link) =>
        link.call("initialize", params).then(
          (result) => {
            noteInitialized(link, result);
            return { link, result };
          },
          (err: Error) => {
            throw new Error(`upstream MCP server "${link.name}" failed to initialize: ${err.message}`);
          },
        ),
      ),
    );
    return mergeInitialize(results);
  }

  async #everyServer(feature: string, method: string, params: Result): Promise<Result> {
    await this.#listings.gather(feature, (link) => link.call(method, params).then(() => []));
    return {};
  }

  #toPrompt(request: Request, name: unknown, rename: (name: string) => Result): void {
    const exposed = typeof name === "string" ? name : "";
    this.#listings.prompt(exposed).then(
      (origin) => {
        if (origin) this.#relay.forward(origin.link, { ...request, params: rename(origin.name) });
        else this.#unknown(request, `Unknown prompt: ${exposed}`);
      },
      (err: Error) => this.#unknown(request, `Unknown prompt: ${exposed} (${err.message})`),
    );
  }

  #toResource(request: Request, uri: unknown): void {
    const text = typeof uri === "string" ? uri : "";
    const link = this.#listings.serverOfUri(text);
    if (link) this.#relay.forward(link, request);
    else this.#unknown(request, `Unknown resource: ${text}`);
  }

  #unknown(request: Request, message: string): void {
    this.#relay.respond(request.id, errorResponse(request.id, RPC.invalidParams, message));
  }
}
