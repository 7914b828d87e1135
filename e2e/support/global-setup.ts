import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * vitest global setup: each run starts without an earlier run's compatibility results
 * (target/compat, written by support/compat.ts), so README's matrix is rendered from this run only.
 */
export function setup(): void {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "target", "compat");
  rmSync(dir, { recursive: true, force: true });
}
