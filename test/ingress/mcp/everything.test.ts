import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING, PROBE, proxiedClient, stdioClient, textOf, withProxied } from "./harness.js";

/** Answers the server's sampling and elicitation requests, the same way for both clients. */
function answerServerRequests(client: Client): void {
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
    model: "test-model",
    role: "assistant",
    content: { type: "text", text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "decline" }));
}

/** What either call gives, error or result, for a side-by-side comparison. */
async function outcome<T>(p: Promise<T>): Promise<unknown> {
  return p.then(
    (result) => ({ result }),
    (err: Error) => ({ error: err.message }),
  );
}

/**
 * The real @modelcontextprotocol/server-everything behind `airlock mcp`, in a development environment
 * so that the policy allows its tools: here what is checked is that the protocol passes through.
 */
describe("airlock mcp in front of server-everything (stdio): the protocol passes through", () => {
  let proxied: Client;
  let direct: Client;

  beforeAll(async () => {
    const env = { AIRLOCK_TOKEN: "alk_not_for_servers", EXAMPLE_SETTING: "kept" };
    proxied = (await proxiedClient(["--name", "everything", "--env", "development", "--", EVERYTHING], env))
      .client;
    direct = (await stdioClient(EVERYTHING, [])).client;
    answerServerRequests(proxied);
    answerServerRequests(direct);
  });
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
  });

  it("initializes with the server's own identity and capabilities", () => {
    expect(proxied.getServerVersion()).toEqual(direct.getServerVersion());
    expect(proxied.getServerCapabilities()).toEqual(direct.getServerCapabilities());
    expect(proxied.getInstructions()).toEqual(direct.getInstructions());
  });

  it("lists tools, prompts, resources and templates exactly as the server does", async () => {
    expect(await proxied.listTools()).toEqual(await direct.listTools());
    expect(await proxied.listPrompts()).toEqual(await direct.listPrompts());
    expect(await proxied.listResources()).toEqual(await direct.listResources());
    expect(await proxied.listResourceTemplates()).toEqual(await direct.listResourceTemplates());
    expect(await outcome(proxied.listResources({ cursor: "not-a-cursor" }))).toEqual(
      await outcome(direct.listResources({ cursor: "not-a-cursor" })),
    );
  });

  it("reads resources, gets prompts, completes arguments and pings unchanged", async () => {
    const uri = "demo://resource/dynamic/text/1";
    // The server stamps this resource with the time of day it was read: two reads may be a second apart.
    const unstamped = (r: unknown) =>
      JSON.parse(JSON.stringify(r).replace(/created at [^"]+/g, "created at <time>"));
    expect(unstamped(await proxied.readResource({ uri }))).toEqual(
      unstamped(await direct.readResource({ uri })),
    );
    const prompt = { name: "args-prompt", arguments: { city: "Lyon" } };
    expect(await proxied.getPrompt(prompt)).toEqual(await direct.getPrompt(prompt));
    const complete = {
      ref: { type: "ref/prompt" as const, name: "completable-prompt" },
      argument: { name: "department", value: "S" },
    };
    expect(await proxied.complete(complete)).toEqual(await direct.complete(complete));
    expect(await proxied.ping()).toEqual(await direct.ping());
    expect(await outcome(proxied.setLoggingLevel("debug"))).toEqual(
      await outcome(direct.setLoggingLevel("debug")),
    );
  });

  it("forwards an allowed call and its result unchanged", async () => {
    const call = { name: "get-structured-content", arguments: { location: "New York" } };
    expect(await proxied.callTool(call)).toEqual(await direct.callTool(call));
    expect(textOf(await proxied.callTool({ name: "echo", arguments: { message: "hi" } }))).toBe("Echo: hi");
  });

  it("passes the server's progress notifications to the caller", async () => {
    const progress: number[] = [];
    const result = await proxied.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(textOf(result)).toContain("Long running operation completed");
    // Not the last step: the SDK client runs notification handlers a microtask late but answers
    // synchronously, so a last progress read in the same chunk as the result is dropped, proxy or not.
    expect(progress.slice(0, 2)).toEqual([1, 2]);
  });

  it("starts the server with the client's environment, except the agent's airlock token", async () => {
    const env = textOf(await proxied.callTool({ name: "get-env", arguments: {} }));
    expect(env).toContain("EXAMPLE_SETTING");
    expect(env).not.toContain("alk_not_for_servers");
  });

  it("relays the server's own requests (sampling) to the client and the answer back", async () => {
    const call = { name: "trigger-sampling-request", arguments: { prompt: "hello", maxTokens: 5 } };
    const result = await proxied.callTool(call);
    expect(textOf(result)).toContain("sampled:");
    expect(result).toEqual(await direct.callTool(call));
  });
});

describe("airlock mcp relays cancellation", () => {
  it("tells the server when the client cancels a forwarded call", () =>
    withProxied(
      ["--name", "probe", "--env", "development", "--", process.execPath, PROBE],
      async (client) => {
        const abort = new AbortController();
        const slow = client.callTool({ name: "read_slowly", arguments: {} }, undefined, {
          signal: abort.signal,
        });
        // Cancel once the call has reached the server (deciding it may take a while on a busy machine).
        while (textOf(await client.callTool({ name: "read_started", arguments: {} })) !== "true")
          await new Promise((resolve) => setTimeout(resolve, 50));
        abort.abort("changed my mind");
        await expect(slow).rejects.toThrow();
        let cancelled = "false";
        for (let i = 0; i < 50 && cancelled !== "true"; i++) {
          cancelled = textOf(await client.callTool({ name: "read_cancelled", arguments: {} }));
          if (cancelled !== "true") await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(cancelled).toBe("true");
      },
    ));
});
