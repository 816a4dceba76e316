import { describe, expect, it } from "vitest";
import type { HttpAction } from "../../src/action/schema.js";
import { analyzeHttp, kubernetesAction } from "../../src/analyze/http.js";

describe("analyzeHttp", () => {
  it("keeps credentials and query strings out of targets and summaries", () => {
    const a = analyzeHttp({
      kind: "http",
      method: "DELETE",
      url: "https://bob:hunter2@api.acme.com/v1/x/1?token=s3cret",
    });
    const op = a.operations[0];
    expect(op?.targets).toEqual([{ type: "url", name: "https://api.acme.com/v1/x/1" }]);
    expect(JSON.stringify(a)).not.toMatch(/hunter2|s3cret/);
  });

  it("says when a method override changed the method", () => {
    const a = analyzeHttp({
      kind: "http",
      method: "POST",
      url: "https://a.io/x/1",
      headers: { "X-HTTP-Method": "DELETE" },
    });
    expect(a.operations[0]?.summary).toMatch(/sent as POST with a method override/);
  });

  it("a GET with a method override header to DELETE is a delete", () => {
    const a = analyzeHttp({
      kind: "http",
      method: "GET",
      url: "https://a.io/x/1",
      headers: { "x-method-override": "DELETE" },
    });
    expect(a.operations[0]?.effect).toBe("delete");
  });

  it("translates API server paths into k8s actions", () => {
    const k = (method: string, url: string) => kubernetesAction(method, new URL(url), undefined);
    expect(k("DELETE", "https://k/api/v1/namespaces/x")).toMatchObject({
      verb: "delete",
      resource: "namespaces",
      name: "x",
    });
    expect(k("PUT", "https://k/api/v1/namespaces/x/finalize")).toMatchObject({
      resource: "namespaces/finalize",
      name: "x",
    });
    expect(k("GET", "https://k/api/v1/pods")).toMatchObject({ verb: "list", resource: "pods" });
    expect(k("DELETE", "https://k/apis/apps/v1/namespaces/s/deployments/d")).toMatchObject({
      verb: "delete",
      resource: "deployments.apps",
      namespace: "s",
      name: "d",
    });
    expect(k("DELETE", "https://k/apis/example.com/v1alpha1/widgets")).toMatchObject({
      verb: "deletecollection",
    });
    expect(k("DELETE", "https://k/api/v1/users/5")).toBeUndefined();
    expect(k("DELETE", "https://k/apis/v2/things/5")).toBeUndefined();
  });

  it("never throws on hostile input", () => {
    const inputs: unknown[] = [
      { kind: "http" },
      { kind: "http", method: "DELETE", url: "https://api.github.com/repos/%E0%A4%A/x" },
      { kind: "http", method: "POST", url: "https://a.io/graphql", body: { query: 5 } },
      { kind: "http", method: "POST", url: "http://es:9200/_bulk", body: { cyclic: undefined } },
      { kind: "http", method: "DELETE", url: "https://k/api/v1/namespaces/%ZZ", headers: { host: 5 } },
      { kind: "http", method: "GET", url: `https://a.io/${"x/".repeat(5000)}` },
    ];
    for (const input of inputs) {
      const a = analyzeHttp(input as HttpAction);
      expect(a.operations.length).toBeGreaterThan(0);
    }
  });
});
