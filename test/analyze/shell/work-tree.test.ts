import { describe, expect, it } from "vitest";
import { initialState, isWorkTree } from "../../../src/analyze/shell/state.js";

describe("a working tree is never /, a home directory itself, or a system directory", () => {
  it.each([
    "/",
    "/home",
    "/home/dev",
    "/Users/dev",
    "/root",
    "/etc",
    "/usr",
    "/usr/lib",
    "/var",
    "/var/lib",
    "/var/lib/postgresql",
    "/boot",
    "/opt",
    "/srv",
    "/System/Library",
  ])("%s is not a working tree", (dir) => {
    expect(isWorkTree(dir, null)).toBe(false);
    expect(initialState(dir, undefined).workTree).toBeNull();
  });

  it.each(["/home/dev/app", "/srv/app", "/opt/app", "/usr/local/src/tool", "/tmp/x", "/work/wt/trust"])(
    "%s is a working tree",
    (dir) => {
      expect(isWorkTree(dir, null)).toBe(true);
      expect(initialState(dir, undefined).workTree).toBe(dir);
    },
  );

  it("the HOME the action names is not a working tree, wherever it is", () => {
    expect(initialState("/work/me", { HOME: "/work/me/" }).workTree).toBeNull();
    expect(initialState("/home/dev/", undefined).workTree).toBeNull();
  });
});
