import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Action,
  AirlockDenied,
  AirlockHeld,
  createGuard,
  isAirlockRefusal,
  shellCommand,
} from "../../src/sdk/index.js";
import { FRAMEWORKS } from "./frameworks.js";

/** The same scenarios through each framework's real tool, guarded by the same local guard. */

const DELETE_PROD_STACK = "aws cloudformation delete-stack --stack-name cost-explorer-prod";
const WIPE_HOST = "rm -rf /";

const local = createGuard();
const throwing = createGuard({ onHold: "throw", onDeny: "throw" });
// Port 1 on loopback: nothing listens there, so the connection is refused at once.
const unreachable = createGuard({ url: "http://127.0.0.1:1", token: "agent-token" });

function refusalIn(output: unknown) {
  if (!isAirlockRefusal(output))
    throw new Error(`expected an airlock refusal, got ${JSON.stringify(output)}`);
  return output;
}

describe.each(FRAMEWORKS)("a guarded $name tool", (framework) => {
  it("runs a read", async () => {
    const t = framework.make(local);
    const output = await t.call({ command: "ls -la" });
    expect(t.ran).toEqual(["ls -la"]);
    expect(isAirlockRefusal(output)).toBe(false);
  });

  it("does not run the deletion of a production stack, and says it is held for two approvers", async () => {
    const t = framework.make(local);
    const refusal = refusalIn(await t.call({ command: DELETE_PROD_STACK }));
    expect(t.ran).toEqual([]);
    expect(refusal.airlock).toMatchObject({ decision: "hold", approvals: { required: 2 } });
    expect(refusal.message).toContain("the tool did not run");
    expect(refusal.message).toContain("no airlock server is configured");
  });

  it("does not run a command that wipes the host, and says why", async () => {
    const t = framework.make(local, shellCommand());
    const refusal = refusalIn(await t.call({ command: WIPE_HOST }));
    expect(t.ran).toEqual([]);
    expect(refusal.airlock.decision).toBe("deny");
    expect(refusal.airlock.reasons.join(" ")).toMatch(/wip/i);
  });

  it("throws AirlockHeld and AirlockDenied when configured to, without running the tool", async () => {
    const t = framework.make(throwing);
    const held = await t.call({ command: DELETE_PROD_STACK }).catch((err: unknown) => err);
    expect(held).toBeInstanceOf(AirlockHeld);
    expect((held as AirlockHeld).refusal.airlock.decision).toBe("hold");
    await expect(t.call({ command: WIPE_HOST })).rejects.toBeInstanceOf(AirlockDenied);
    expect(t.ran).toEqual([]);
  });

  it("fails closed when the airlock server cannot be reached: even a read does not run", async () => {
    const t = framework.make(unreachable);
    const refusal = refusalIn(await t.call({ command: "ls -la" }));
    expect(t.ran).toEqual([]);
    expect(refusal.airlock).toMatchObject({ decision: "deny", code: "server_unavailable" });
    expect(refusal.message).toContain("http://127.0.0.1:1");
  });

  it("fails closed when the call cannot be described as an Action", async () => {
    const throws = framework.make(local, () => {
      throw new Error("no such field");
    });
    expect(refusalIn(await throws.call({ command: "ls" })).airlock).toMatchObject({
      decision: "deny",
      code: "invalid_action",
    });
    const nonsense = framework.make(local, () => ({ kind: "teleport" }) as unknown as Action);
    expect(refusalIn(await nonsense.call({ command: "ls" })).airlock.code).toBe("invalid_action");
    expect([...throws.ran, ...nonsense.ran]).toEqual([]);
  });
});

describe("a local guard whose policy does not load", () => {
  it("refuses every call, naming the policy file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "airlock-sdk-")), "broken.yaml");
    writeFileSync(file, "version: 2\n");
    const t = FRAMEWORKS[0]?.make(createGuard({ policy: file }));
    const refusal = refusalIn(await t?.call({ command: "ls" }));
    expect(refusal.airlock.code).toBe("policy_error");
    expect(refusal.message).toContain(file);
    expect(t?.ran).toEqual([]);
  });
});
