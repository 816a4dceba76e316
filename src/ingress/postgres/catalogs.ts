import { type FunctionCalls, FunctionCatalog } from "./catalog.js";
import type { PostgresDatabase } from "./config.js";

/** One function catalog per proxied database, shared by its connections. */
export class Catalogs {
  readonly #byName = new Map<string, FunctionCatalog>();

  of(db: PostgresDatabase): { calls(names: readonly string[]): Promise<FunctionCalls> } {
    let catalog = this.#byName.get(db.name);
    if (!catalog) {
      catalog = new FunctionCatalog(db.upstream);
      this.#byName.set(db.name, catalog);
    }
    const found = catalog;
    return { calls: (names) => found.calls(names) };
  }

  close(): void {
    for (const c of this.#byName.values()) c.close();
  }
}
