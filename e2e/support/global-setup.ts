import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * vitest global setup: checks the Node version, and starts each run without an earlier run's
 * compatibility results (target/compat, written by support/compat.ts), so README's matrix is
 * rendered from this run only.
 */
export function setup(): void {
  // The newest SDKs (openai 7, ai 7, @ai-sdk/* 4) need Node >= 22; `npm ci` installs one (the `node`
  // devDependency) and npm scripts and npx put it first on PATH, even where the system Node is 20.
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    throw new Error(
      `the e2e specs need Node >= 22 and run on ${process.version}: start them with npm test or npx vitest (both use node_modules/.bin/node)`,
    );
  }
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "target", "compat");
  rmSync(dir, { recursive: true, force: true });
}
