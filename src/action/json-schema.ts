import * as z from "zod/mini";
import { Decision } from "./decision.js";
import { Action } from "./schema.js";

/**
 * The contract's JSON Schemas, generated from the zod schemas (the single source of truth), for
 * people and tools that script against airlock in other languages. `npm run schema` writes them to
 * docs/schema/; a test fails when the committed files differ from what the schemas generate.
 */
export function contractSchemas(): Record<string, string> {
  return {
    ...schemaFile("action", Action, "input"),
    ...schemaFile("decision", Decision, "output"),
  };
}

/** One file of docs/schema/: `NAME.schema.json`, the schema's JSON Schema with its id and title. */
export function schemaFile(
  name: string,
  schema: z.ZodMiniType,
  io: "input" | "output",
): Record<string, string> {
  const json = {
    ...z.toJSONSchema(schema, { io, unrepresentable: "any" }),
    $id: `https://github.com/airlock/airlock/docs/schema/${name}.schema.json`,
    title: `airlock ${name} (v1)`,
  };
  return { [`${name}.schema.json`]: `${JSON.stringify(json, null, 2)}\n` };
}
