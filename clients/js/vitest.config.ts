import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // Each test file picks its environment: the React tests use jsdom via a file comment.
    environment: "node",
    testTimeout: 10_000,
    restoreMocks: true,
  },
});
