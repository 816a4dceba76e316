import { parseSync } from "libpg-query";
import type { SqlAction } from "../../action/schema.js";
import { calledFunctionNames, FunctionCatalog } from "./catalog.js";
import type { PostgresDatabase } from "./config.js";

/** One function catalog per proxied database, shared by its connections. */
export class Catalogs {
  readonly #byName = new Map<string, FunctionCatalog>();

  of(db: PostgresDatabase): { lookUp(sql: string): Promise<NonNullable<SqlAction["functions"]>> } {
    let catalog = this.#byName.get(db.name);
    if (!catalog) {
      catalog = new FunctionCatalog(db.upstream);
      this.#byName.set(db.name, catalog);
    }
    const found = catalog;
    return {
      lookUp: async (sql) => {
        let tree: unknown;
        try {
          tree = parseSync(sql);
        } catch {
          return []; // Unparseable SQL is already opaque to the analyzer.
        }
        return found.userFunctions(calledFunctionNames(tree));
      },
    };
  }

  close(): void {
    for (const c of this.#byName.values()) c.close();
  }
}
