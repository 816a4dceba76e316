import { describe, expect, it } from "vitest";
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from "../../src/audit/checkpoint.js";
import { generateSignerKey, verifierFromSigner } from "../../src/audit/note.js";

const ROOT = Buffer.from("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62", "hex");

describe("checkpoint text", () => {
  it("is the origin, the size and the base64 root, one per line (the tlog-checkpoint example)", () => {
    const text = formatCheckpoint({ origin: "example.com/behind-the-sofa", size: 20852163, root: ROOT });
    expect(text).toBe(
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    );
    expect(parseCheckpoint(text)).toEqual({
      ok: true,
      checkpoint: { origin: "example.com/behind-the-sofa", size: 20852163, root: ROOT },
    });
  });

  it("keeps extension lines", () => {
    const parsed = parseCheckpoint("log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nfoo bar\n");
    expect(parsed.ok && parsed.checkpoint.extensions).toEqual(["foo bar"]);
  });

  it.each([
    [
      "no final newline",
      "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
      /does not end with a newline/,
    ],
    ["an empty origin", "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", /origin, is empty/],
    [
      "a size with a leading zero",
      "log\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
      /tree size.*"01"/,
    ],
    ["a negative size", "log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", /tree size/],
    [
      "a size past 2^53",
      "log\n9007199254740993\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
      /too large/,
    ],
    ["a short root", "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n", /32-byte root hash/],
    ["an unpadded root", "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", /32-byte root hash/],
    ["a missing root", "log\n1\n", /32-byte root hash/],
    [
      "an empty extension line",
      "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nx\n",
      /extension line/,
    ],
  ])("refuses %s, saying what is wrong", (_, text, error) => {
    const parsed = parseCheckpoint(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });
});

describe("signed checkpoints", () => {
  const signer = generateSignerKey("airlock.example/audit");
  const verifier = verifierFromSigner(signer);
  const checkpoint = { origin: "airlock.example/audit", size: 7, root: ROOT };

  it("open with the log's verifier key and origin", () => {
    const note = signCheckpoint(checkpoint, signer);
    expect(note.startsWith(formatCheckpoint(checkpoint))).toBe(true);
    expect(openCheckpoint(note, verifier, "airlock.example/audit")).toMatchObject({ ok: true, checkpoint });
  });

  it("do not open with another key, for another origin, or when changed", () => {
    const note = signCheckpoint(checkpoint, signer);
    const other = verifierFromSigner(generateSignerKey("airlock.example/audit"));
    expect(openCheckpoint(note, other)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not signed by/),
    });
    expect(openCheckpoint(note, verifier, "elsewhere/audit")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/of the log "airlock.example\/audit", not "elsewhere\/audit"/),
    });
    const grown = note.replace("\n7\n", "\n8\n");
    expect(openCheckpoint(grown, verifier)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/invalid signature/),
    });
  });

  it("refuse to sign a checkpoint its own parser would refuse", () => {
    expect(() => signCheckpoint({ ...checkpoint, root: ROOT.subarray(1) }, signer)).toThrow(/32-byte root/);
    expect(() => signCheckpoint({ ...checkpoint, size: -1 }, signer)).toThrow(/tree size/);
  });
});
