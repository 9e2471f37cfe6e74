import { defineConfig } from "vitest/config";

// End-to-end suite (`npm run test:e2e`): the built server in a child process, driven by Chromium through
// playwright-core. No setup files (no in-process database); one fork, files one after the other.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
