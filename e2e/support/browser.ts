import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";

/** e2e/target: reports and screenshots. */
export const targetDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "target");

/** The Chromium to drive: $CHROMIUM_PATH, else Debian's package. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error(
    "no Chromium found: install Debian's package (apt-get install -y chromium, gives /usr/bin/chromium) or set CHROMIUM_PATH",
  );
}

export interface LaunchedBrowser {
  /** A browser context on a fresh profile: open pages with `context.newPage()`. */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium on a fresh profile (its --user-data-dir, removed on close). Playwright
 * takes the profile folder as launchPersistentContext's first argument, not as a --user-data-dir flag.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), "aistream-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a screenshot goes: e2e/target/screenshots/<name>.png (the folder is created). */
export function screenshotPath(name: string): string {
  const dir = path.join(targetDir, "screenshots");
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
