import { FunctionCatalog } from "./catalog.js";
import type { PostgresDatabase } from "./config.js";

/** One function catalog per proxied database, shared by its connections (and their cache). */
export class Catalogs {
  readonly #byName = new Map<string, FunctionCatalog>();

  of(db: PostgresDatabase): FunctionCatalog {
    let catalog = this.#byName.get(db.name);
    if (!catalog) {
      catalog = new FunctionCatalog(db.upstream);
      this.#byName.set(db.name, catalog);
    }
    return catalog;
  }

  close(): void {
    for (const c of this.#byName.values()) c.close();
  }
}
