import { describe, expect, it } from "vitest";
import { readClaim } from "../../../src/ingress/aws/claim.js";
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  credentialScope,
  EMPTY_SHA256,
  signHex,
  signingKey,
  stringToSign,
} from "../../../src/ingress/aws/sigv4.js";
import { verifySignature } from "../../../src/ingress/aws/verify.js";
import type { WireRequest } from "../../../src/ingress/aws/wire.js";

/** AWS's Signature Version 4 test suite, "get-vanilla": the published signature for the example key. */
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const VANILLA = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

function vanilla(signature = VANILLA, path = "/"): WireRequest {
  return {
    method: "GET",
    rawPath: path,
    rawQuery: "",
    query: [],
    headers: new Map([
      ["host", ["example.amazonaws.com"]],
      ["x-amz-date", ["20150830T123600Z"]],
      [
        "authorization",
        [
          `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
        ],
      ],
    ]),
  };
}

describe("Signature Version 4", () => {
  it("computes AWS's published signature for get-vanilla", () => {
    const headers = new Map([
      ["host", ["example.amazonaws.com"]],
      ["x-amz-date", ["20150830T123600Z"]],
    ]);
    const canonical = canonicalRequest({
      method: "GET",
      uri: canonicalUri("/", "service"),
      query: canonicalQuery([]),
      headers,
      signedHeaders: ["host", "x-amz-date"],
      payloadHash: EMPTY_SHA256,
    });
    const key = signingKey(SECRET, "20150830", "us-east-1", "service");
    const scope = credentialScope("20150830", "us-east-1", "service");
    expect(signHex(key, stringToSign("20150830T123600Z", scope, canonical))).toBe(VANILLA);
  });

  it("verifies the vanilla request and refuses any other signature or secret", () => {
    const read = readClaim(vanilla());
    if (!read.ok) throw new Error(read.error.message);
    expect(verifySignature(vanilla(), read.claim, SECRET, EMPTY_SHA256).ok).toBe(true);
    expect(verifySignature(vanilla(), read.claim, `${SECRET}x`, EMPTY_SHA256).ok).toBe(false);
    const flipped = `${VANILLA.slice(0, -1)}0`;
    const other = readClaim(vanilla(flipped));
    if (!other.ok) throw new Error(other.error.message);
    expect(verifySignature(vanilla(flipped), other.claim, SECRET, EMPTY_SHA256)).toMatchObject({
      ok: false,
      error: { code: "SignatureDoesNotMatch" },
    });
  });

  it("normalises and encodes the path again for every service but S3, as the SDKs sign it", () => {
    expect(canonicalUri("/a/./b/../c//d/", "lambda")).toBe("/a/c/d/");
    expect(canonicalUri("/functions/my%3Afn", "lambda")).toBe("/functions/my%253Afn");
    expect(canonicalUri("/bucket/a/../b%20c", "s3")).toBe("/bucket/a/../b%20c");
    expect(
      canonicalQuery([
        ["b", "2"],
        ["a", "x y"],
        ["a", "1"],
      ]),
    ).toBe("a=1&a=x%20y&b=2");
  });

  it("reads malformed authorization as IncompleteSignature or AuthorizationHeaderMalformed", () => {
    const bad = (value: string) => {
      const r = vanilla();
      r.headers.set("authorization", [value]);
      const read = readClaim(r);
      return read.ok ? "ok" : read.error.code;
    };
    expect(bad("AWS AKIDEXAMPLE:abc")).toBe("IncompleteSignature");
    expect(
      bad(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, SignedHeaders=host, Signature=" +
          VANILLA,
      ),
    ).toBe("AuthorizationHeaderMalformed");
    expect(
      bad(
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=${VANILLA}`,
      ),
    ).toBe("IncompleteSignature");
    expect(
      bad(
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${VANILLA}`,
      ),
    ).toBe("SignatureDoesNotMatch");
  });
});
