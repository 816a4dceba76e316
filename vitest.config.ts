import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // CLI tests run the bundle in dist/: build it from the current sources first.
    globalSetup: ["./test/build-bundle.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every audit draft is checked against its type's schema where it is written (src/audit/entry-types.ts);
    // the servers and CLIs the tests start inherit it.
    env: { AIRLOCK_CHECK_AUDIT_FIELDS: "1" },
  },
});
