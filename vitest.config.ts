import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // CLI tests run the bundle in dist/: build it from the current sources first.
    globalSetup: ["./test/build-bundle.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
