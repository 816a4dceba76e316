// A PostgreSQL MCP server for the real-CLI tests, as the common ones are: one tool, `query`, that runs
// its SQL on a real database (PG* variables) and answers the rows as JSON. Every statement it runs is
// appended to AIRLOCK_TEST_SQL_LOG, so a test sees from outside what reached the database.
import { appendFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import pg from "pg";
import { z } from "zod";

const server = new McpServer({ name: "postgres", version: "1.0.0" });
server.registerTool(
  "query",
  {
    description: "Run one SQL statement on the PostgreSQL database and return its rows as JSON",
    inputSchema: { sql: z.string().describe("the SQL to run") },
  },
  async ({ sql }) => {
    if (process.env.AIRLOCK_TEST_SQL_LOG) appendFileSync(process.env.AIRLOCK_TEST_SQL_LOG, `${sql}\n`);
    const client = new pg.Client();
    await client.connect();
    try {
      const result = await client.query(sql);
      return { content: [{ type: "text", text: JSON.stringify({ rows: result.rows ?? [] }) }] };
    } catch (err) {
      return { content: [{ type: "text", text: `error: ${err.message}` }], isError: true };
    } finally {
      await client.end();
    }
  },
);
await server.connect(new StdioServerTransport());
