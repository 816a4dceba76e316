import { describe, expect, it } from "vitest";
import {
  environmentOfName,
  inferEnvironment,
  mayBeProduction,
  worstEnvironment,
} from "../../src/analyze/environment.js";

describe("environment inference", () => {
  it.each([
    ["prod", "production"],
    ["orders_prod", "production"],
    ["prod-eu-1", "production"],
    ["arn:aws:cloudformation:us-east-1:123:stack/ProdApiStack/abc", "production"],
    ["LiveStack", "production"],
    ["production", "production"],
    ["prd-db-01", "production"],
    ["staging-eu", "staging"],
    ["pre-prod", "staging"],
    ["preprod", "staging"],
    ["api-stg", "staging"],
    ["dev", "development"],
    ["kind-dev", "development"],
    ["app_test", "development"],
    ["minikube", "development"],
    ["kind-payments", "development"],
    ["k3d-local-cluster", "development"],
    ["docker-desktop", "development"],
    ["rancher-desktop", "development"],
    ["products", undefined],
    ["liveness-probe", undefined],
    ["reproduce", undefined],
    ["payments", undefined],
    ["", undefined],
  ])("%s → %s", (name, env) => {
    expect(environmentOfName(name)).toBe(env);
  });

  it("lets the context raise the risk, never lower it below what the names show", () => {
    expect(inferEnvironment("development", ["orders_prod"])).toEqual({
      name: "production",
      source: "inferred",
      evidence: "orders_prod",
    });
    expect(inferEnvironment("development", ["cost-explorer-prod"]).name).toBe("production");
    expect(inferEnvironment("staging", ["kind-local"])).toEqual({ name: "staging", source: "context" });
    expect(inferEnvironment("production", ["app-dev"])).toEqual({ name: "production", source: "context" });
    expect(inferEnvironment("prod", [])).toEqual({ name: "production", source: "context" });
  });

  it("lets the context fill the silence of names, and outrank a loopback host", () => {
    expect(inferEnvironment("development", [])).toEqual({ name: "development", source: "context" });
    expect(inferEnvironment("development", ["127.0.0.1"]).name).toBe("development");
    expect(inferEnvironment("eu-west-blue", ["app-dev"])).toEqual({
      name: "eu-west-blue",
      source: "context",
    });
  });

  it("picks the most dangerous when names disagree", () => {
    expect(inferEnvironment(undefined, ["app-dev", "orders_prod", "staging"])).toMatchObject({
      name: "production",
      evidence: "orders_prod",
    });
  });

  it("treats loopback hosts as loopback only when nothing else speaks", () => {
    expect(inferEnvironment(undefined, ["127.0.0.1"]).name).toBe("loopback");
    expect(inferEnvironment(undefined, ["localhost", "prod"]).name).toBe("production");
  });

  it("is unknown without evidence, and unknown may be production", () => {
    expect(inferEnvironment(undefined, ["payments"]).name).toBe("unknown");
    expect(mayBeProduction("unknown")).toBe(true);
    expect(mayBeProduction("production")).toBe(true);
    expect(mayBeProduction("eu-blue")).toBe(true);
    expect(mayBeProduction("staging")).toBe(false);
    expect(mayBeProduction("development")).toBe(false);
    expect(worstEnvironment(["development", "unknown", "staging"])).toBe("unknown");
  });
});
