import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contractSchemas } from "../../src/action/json-schema.js";
import { auditEntrySchemas } from "../../src/audit/entry-types.js";

describe("the contract's JSON Schemas", () => {
  it.each(Object.entries({ ...contractSchemas(), ...auditEntrySchemas() }))(
    "docs/schema/%s is what the zod schemas generate (npm run schema)",
    (name, text) => {
      const committed = readFileSync(new URL(`../../docs/schema/${name}`, import.meta.url), "utf8");
      expect(committed, `docs/schema/${name} is stale: run \`npm run schema\``).toBe(text);
    },
  );
});
