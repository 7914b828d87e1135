import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // *.e2e.pending.ts files wait for gateway endpoints that are not there yet (see each file)
    include: ["tests/**/*.e2e.ts"],
    environment: "node",
    // one gateway and one Chromium per file; files run one after another
    fileParallelism: false,
    testTimeout: 60_000,
    // starting the gateway may build it first (./aistream builds on first use)
    hookTimeout: 330_000,
  },
});
