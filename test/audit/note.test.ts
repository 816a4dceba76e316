import { describe, expect, it } from "vitest";
import {
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierFromSigner,
} from "../../src/audit/note.js";

// golang.org/x/mod/sumdb/note, note_test.go (TestSign, TestOpen) and the package documentation.
const PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
const peter = { name: "PeterNeumann", keyId: "c74f20a3" };
const enoch = { name: "EnochRoot", keyId: "af0cfe78" };

// The example of c2sp.org/signed-note (C2SP/C2SP signed-note.md at d4c16da5), from another implementation.
const SPEC_KEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE =
  "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

describe("signed notes, against Go's sumdb/note", () => {
  it("signs byte for byte as Go does", () => {
    expect(signNote(TEXT, PETER_SIGNER)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it("derives Go's verifier key from Go's signer key", () => {
    expect(verifierFromSigner(PETER_SIGNER)).toBe(PETER);
  });

  it("opens Go's note, and the signed-note spec's example", () => {
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [PETER])).toEqual({ ok: true, text: TEXT, signers: [peter] });
    expect(openNote(SPEC_NOTE, [SPEC_KEY])).toEqual({
      ok: true,
      text: "This is an example message.\n",
      signers: [{ name: "example.com/foo", keyId: "530d903a" }],
    });
  });

  it("ignores signatures by keys it was not given, and needs one by a key it was", () => {
    const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    expect(openNote(both, [PETER])).toEqual({ ok: true, text: TEXT, signers: [peter] });
    expect(openNote(both, [PETER, ENOCH])).toEqual({ ok: true, text: TEXT, signers: [peter, enoch] });
    const none = openNote(both, []);
    expect(none.ok).toBe(false);
    expect(none.ok ? "" : none.error).toMatch(
      /not signed by no key.*PeterNeumann\+c74f20a3, EnochRoot\+af0cfe78/,
    );
    const other = openNote(`${TEXT}\n${ENOCH_SIG}`, [PETER]);
    expect(other.ok ? "" : other.error).toMatch(/not signed by PeterNeumann\+c74f20a3/);
  });

  it("refuses an ambiguous verifier list only when the note uses the repeated key", () => {
    const result = openNote(`${TEXT}\n${ENOCH_SIG}`, [ENOCH, PETER, ENOCH]);
    expect(result.ok ? "" : result.error).toMatch(/ambiguous key EnochRoot\+af0cfe78/);
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [ENOCH, PETER, ENOCH]).ok).toBe(true);
  });

  it("refuses a bad signature by a known key, even beside a good one", () => {
    const bad = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    const result = openNote(`${TEXT}\n${bad}`, [PETER]);
    expect(result.ok ? "" : result.error).toMatch(/invalid signature for key PeterNeumann\+c74f20a3/);
    const changedText = openNote(`${TEXT.replace("problem", "Problem")}\n${PETER_SIG}`, [PETER]);
    expect(changedText.ok).toBe(false);
  });

  it("keeps one of repeated signatures and ignores unknown bad ones", () => {
    const enochBad = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const note = `${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochBad}`;
    expect(openNote(note, [PETER])).toEqual({ ok: true, text: TEXT, signers: [peter] });
  });

  it.each([
    ["no signature block", TEXT],
    ["a blank line and nothing after", `${TEXT}\n`],
    ["a signature line without its newline", `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ["a control character", `\u0001${TEXT}\n${PETER_SIG}`],
    ["a lone surrogate", `\ud800${TEXT}\n${PETER_SIG}`],
    [
      "a name with a space",
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    ],
    ["a line that is not a signature", `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ["101 signatures", `${TEXT}\n${PETER_SIG.repeat(101)}`],
    ["unpadded base64", `${TEXT}\n${PETER_SIG.replace("=\n", "\n")}`],
  ])("refuses a malformed note: %s", (_, note) => {
    const result = openNote(note, [PETER]);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(/^malformed note/);
  });
});

describe("note keys", () => {
  it("accepts Go's keys and refuses every substring and every one-byte change of them", () => {
    expect(parseVerifierKey(PETER).ok).toBe(true);
    expect(parseSignerKey(PETER_SIGNER).ok).toBe(true);
    for (const [key, parse] of [
      [PETER, parseVerifierKey],
      [PETER_SIGNER, parseSignerKey],
    ] as const) {
      for (let i = 0; i <= key.length; i++)
        for (let j = i + 1; j <= key.length; j++)
          if (i !== 0 || j !== key.length) expect(parse(key.slice(i, j)).ok, key.slice(i, j)).toBe(false);
      for (let i = 0; i < key.length; i++) {
        const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
        expect(parse(changed).ok, changed).toBe(false);
      }
    }
  });

  it("refuses Go's wrong-length and unknown-algorithm keys, with their IDs adjusted to match", () => {
    expect(
      parseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==").ok,
    ).toBe(false);
    expect(parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok).toBe(
      false,
    );
  });

  it("generates keys that sign what their verifier opens, and no other key does", () => {
    const signer = generateSignerKey("airlock.example/audit");
    const verifier = verifierFromSigner(signer);
    expect(verifier).toMatch(/^airlock\.example\/audit\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    const note = signNote("hello\n", signer);
    expect(openNote(note, [verifier])).toMatchObject({ ok: true, text: "hello\n" });
    expect(openNote(note, [verifierFromSigner(generateSignerKey("airlock.example/audit"))]).ok).toBe(false);
  });

  it("refuses to make a key or a note that could not be read back", () => {
    expect(() => generateSignerKey("has space")).toThrow(/cannot name a note key/);
    expect(() => generateSignerKey("a+b")).toThrow(/cannot name a note key/);
    expect(() => signNote("no newline", PETER_SIGNER)).toThrow(/must end with a newline/);
    expect(() => signNote("tab\there\n", PETER_SIGNER)).toThrow(/control characters/);
    expect(() => signNote("hi\n", PETER)).toThrow(/cannot sign with this signer key/);
  });
});
