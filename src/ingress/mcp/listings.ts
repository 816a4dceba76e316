import { UriTemplate } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { exposeNames, type Group, type NamePrefix, type Origin } from "./merge.js";
import { allPages } from "./pages.js";
import type { ToolFilter } from "./router.js";
import type { UpstreamLink } from "./upstream.js";

/**
 * Several servers' listings as one: every page of every server that offers the feature, merged, with
 * what each exposed name or resource URI leads back to, so that calls can be routed to their server.
 */
export class MergedListings {
  readonly #links: readonly UpstreamLink[];
  readonly #prefix: NamePrefix;
  readonly #filter: ToolFilter | undefined;
  #tools = new Map<string, Origin>();
  #prompts = new Map<string, Origin>();
  readonly #resources = new Map<string, UpstreamLink>();
  #templates: { link: UpstreamLink; template: UriTemplate }[] = [];

  constructor(links: readonly UpstreamLink[], prefix: NamePrefix, filter: ToolFilter | undefined) {
    this.#links = links;
    this.#prefix = prefix;
    this.#filter = filter;
  }

  /** The server and own name of an exposed tool name, listing again when it is not known. */
  async tool(name: string): Promise<Origin | undefined> {
    if (!this.#tools.has(name)) await this.tools();
    return this.#tools.get(name);
  }

  knownTool(name: string): Origin | undefined {
    return this.#tools.get(name);
  }

  async prompt(name: string): Promise<Origin | undefined> {
    if (!this.#prompts.has(name)) await this.prompts();
    return this.#prompts.get(name);
  }

  /** The server a URI belongs to: by the listings, then by the templates, else the first with resources. */
  serverOfUri(uri: string): UpstreamLink | undefined {
    return (
      this.#resources.get(uri) ??
      this.#templates.find((t) => t.template.match(uri) !== null)?.link ??
      this.#links.find((l) => l.capabilities.resources !== undefined)
    );
  }

  async tools(): Promise<Tool[]> {
    const filter = this.#filter;
    const groups = await this.gather("tools", async (link) => {
      const tools = await link.tools.listAll();
      return filter ? filter(link, tools) : tools;
    });
    const { items, origins } = exposeNames(groups, this.#prefix);
    this.#tools = origins;
    return items;
  }

  async prompts(): Promise<{ name: string }[]> {
    const groups = await this.gather("prompts", (link) =>
      allPages<{ name: string }>(link, "prompts/list", "prompts"),
    );
    const { items, origins } = exposeNames(groups, this.#prefix);
    this.#prompts = origins;
    return items;
  }

  async resources(): Promise<{ uri: string }[]> {
    const groups = await this.gather("resources", (link) =>
      allPages<{ uri: string }>(link, "resources/list", "resources"),
    );
    for (const { link, items } of groups) for (const r of items) this.#resources.set(r.uri, link);
    return groups.flatMap((g) => g.items);
  }

  async templates(): Promise<{ uriTemplate: string }[]> {
    const groups = await this.gather("resources", (link) =>
      allPages<{ uriTemplate: string }>(link, "resources/templates/list", "resourceTemplates"),
    );
    this.#templates = groups.flatMap(({ link, items }) =>
      items.flatMap((t) => {
        try {
          return [{ link, template: new UriTemplate(t.uriTemplate) }];
        } catch {
          return []; // a template the SDK cannot parse routes nothing
        }
      }),
    );
    return groups.flatMap((g) => g.items);
  }

  /** Ask every server that offers `feature`; a server that fails is left out, unless all do. */
  async gather<T>(feature: string, ask: (link: UpstreamLink) => Promise<T[]>): Promise<Group<T>[]> {
    const offering = this.#links.filter((link) => link.capabilities[feature] !== undefined);
    const settled = await Promise.allSettled(
      offering.map(async (link) => ({ link, items: await ask(link) })),
    );
    const groups = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = settled.find((s) => s.status === "rejected");
    if (groups.length === 0 && failed) throw (failed as PromiseRejectedResult).reason;
    return groups;
  }
}
