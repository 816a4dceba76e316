import { describe, expect, it } from "vitest";
import { effectiveActions } from "../../../src/ingress/aws/previews/iam.js";
import { recoveryName } from "../../../src/ingress/aws/recovery/registry.js";
import { all, parseXml, textAt, XmlError } from "../../../src/ingress/aws/xml.js";

describe("the XML reader for AWS's answers and rest-xml bodies", () => {
  it("reads elements, nested lists, namespaces, entities and CDATA", () => {
    const doc = parseXml(
      '<?xml version="1.0"?>\n<R xmlns="x"><a:Items xmlns:a="y"><item><id>1 &amp; 2</id></item><item><id><![CDATA[<3>]]></id></item></a:Items><!-- c --></R>',
    );
    expect(all(doc, "Items", "item").map((n) => textAt(n, "id"))).toEqual(["1 & 2", "<3>"]);
  });

  it("refuses a DOCTYPE (no entity of a document's own is ever expanded), bad nesting, and depth", () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(XmlError);
    expect(() => parseXml("<a><b></a></b>")).toThrow(/does not match/);
    expect(() => parseXml("<a>")).toThrow(/not closed/);
    expect(() => parseXml("<a/><b/>")).toThrow(/exactly one root/);
    expect(() => parseXml(`${"<a>".repeat(100)}${"</a>".repeat(100)}`)).toThrow(/deeper/);
  });
});

describe("a policy's effective actions, for the IAM preview", () => {
  it("expands wildcards against IAM's action list and takes out what an unconditional Deny removes", () => {
    const g = effectiveActions({
      Statement: [
        { Effect: "Allow", Action: ["s3:Get*", "s3:DeleteObject"], Resource: "*" },
        { Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
        { Effect: "Deny", Action: "s3:GetBucketPolicy", Resource: "*", Condition: { Bool: { x: "true" } } },
      ],
    });
    const names = g.actions.map((a) => `${a.service}:${a.name}`);
    expect(names).toContain("s3:DeleteObject");
    expect(names).toContain("s3:GetBucketPolicy");
    expect(names).not.toContain("s3:GetObject");
    expect(names.every((n) => n.startsWith("s3:"))).toBe(true);
    expect(g.everything).toBe(false);
  });

  it("knows '*' as everything, and NotAction as all but the named", () => {
    expect(effectiveActions({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }).everything).toBe(
      true,
    );
    const g = effectiveActions({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] });
    expect(g.actions.some((a) => a.service === "iam")).toBe(false);
    expect(g.actions.some((a) => a.service === "ec2")).toBe(true);
  });
});

describe("recovery point names", () => {
  it("are letters, digits and single hyphens, as RDS, DynamoDB and EC2 all accept", () => {
    expect(recoveryName("r_Ab-9__x_")).toBe("airlock-r-ab-9-x");
  });
});
