// Writes docs/schema/*.schema.json from the zod schemas: `npm run schema`.
import { writeFileSync } from "node:fs";
import { contractSchemas } from "../src/action/json-schema.js";
import { auditEntrySchemas } from "../src/audit/entry-types.js";

for (const [name, text] of Object.entries({ ...contractSchemas(), ...auditEntrySchemas() })) {
  writeFileSync(new URL(`../docs/schema/${name}`, import.meta.url), text);
  process.stdout.write(`docs/schema/${name}\n`);
}
