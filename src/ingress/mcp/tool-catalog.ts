import type { Tool } from "@modelcontextprotocol/sdk/types.js";

import { allPages, type Caller } from "./pages.js";

/**
 * The tools one upstream server declared in tools/list, kept so that a tools/call can be judged with
 * the tool's annotations as the server declared them. A call to a tool the catalog has not seen makes
 * the proxy list the tools itself once: a client that never lists must not get its calls judged
 * without the server's `destructiveHint`.
 */
export class ToolCatalog {
  readonly #caller: Caller;
  readonly #tools = new Map<string, Tool>();
  #refreshing?: Promise<Tool[]>;

  constructor(caller: Caller) {
    this.#caller = caller;
  }

  /** Remember the tools of one tools/list page (the client's listing or the proxy's own). */
  record(tools: unknown): void {
    if (!Array.isArray(tools)) return;
    for (const tool of tools as Tool[]) {
      if (tool && typeof tool.name === "string") this.#tools.set(tool.name, tool);
    }
  }

  /** The server said its tools changed: forget them; the next call to an unseen name lists again. */
  clear(): void {
    this.#tools.clear();
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  /** The tool as declared, listing the server's tools first when it has not been seen; undefined if unknown. */
  async lookup(name: string): Promise<Tool | undefined> {
    const known = this.#tools.get(name);
    if (known !== undefined) return known;
    try {
      await this.listAll();
    } catch {
      // A server that cannot list its tools leaves the tool unknown, which the policy judges as such.
    }
    return this.#tools.get(name);
  }

  /** Every page of the server's tools/list, by the proxy's own requests; concurrent callers share one listing. */
  listAll(): Promise<Tool[]> {
    this.#refreshing ??= this.#listPages().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #listPages(): Promise<Tool[]> {
    const tools = await allPages<Tool>(this.#caller, "tools/list", "tools");
    this.record(tools);
    return tools;
  }
}
