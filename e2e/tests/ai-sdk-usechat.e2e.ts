// The AI SDK's own React hook, `useChat` from @ai-sdk/react (with `ai`), in Chromium, streaming from
// a real `aistream serve`: compat/usechat is bundled with vite and served on the gateway's own origin
// (playwright route), so the page calls /v1/ui/chat same-origin. Each test records a `useChat` row
// of README's compatibility matrix (support/compat.ts).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { launchChromium, screenshotPath, targetDir, type LaunchedBrowser } from "../support/browser.js";
import { CompatClient } from "../support/compat.js";
import { startGateway, type Gateway } from "../support/gateway.js";

const pageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "compat", "usechat");
const outDir = path.join(targetDir, "usechat-page");
const compat = new CompatClient("ai-sdk-react-usechat", "@ai-sdk/react useChat", "@ai-sdk/react");

describe(`@ai-sdk/react ${compat.version} useChat against /v1/ui/chat`, () => {
  let gateway: Gateway;
  let chromium: LaunchedBrowser;

  beforeAll(async () => {
    await build({
      root: pageDir,
      base: "./",
      configFile: false,
      logLevel: "error",
      build: { outDir, emptyOutDir: true, reportCompressedSize: false },
    });
    gateway = await startGateway();
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await gateway?.stop();
  });

  /** Opens the useChat page on the gateway's origin (served from the bundle, not by the gateway). */
  async function open(query: string): Promise<Page> {
    const page = await chromium.context.newPage();
    const prefix = new URL("__compat/usechat/", gateway.url).href;
    await page.route(`${prefix}**`, (route) => {
      const rel = new URL(route.request().url()).pathname.slice("/__compat/usechat/".length) || "index.html";
      const file = path.join(outDir, rel);
      return existsSync(file)
        ? route.fulfill({ path: file })
        : route.fulfill({ status: 404, body: "not found" });
    });
    await page.goto(`${prefix}index.html?${query}`);
    return page;
  }

  async function send(page: Page, prompt: string): Promise<void> {
    await page.getByLabel("Prompt").fill(prompt);
    await page.getByRole("button", { name: "Send" }).click();
    // submitted → streaming → ready
    await page.locator("[data-role=assistant]").first().waitFor();
    await page.waitForFunction(
      () => document.querySelector("[data-testid=status]")?.textContent === "ready",
      undefined,
      {
        timeout: 30_000,
      },
    );
    expect(await page.locator("[data-testid=error]").count()).toBe(0);
  }

  compat.test(
    "/v1/ui/chat",
    "useChat",
    async () => {
      const page = await open("model=simulated/echo");
      const prompt = "Hello from the AI SDK in a real browser";
      await send(page, prompt);
      expect(await page.locator("[data-role=assistant] [data-part=text]").allTextContents()).toEqual([
        prompt,
      ]);
      await page.close();
      return "streamed text renders";
    },
    "renders streamed text",
  );

  compat.test(
    "/v1/ui/chat",
    "useChat",
    async () => {
      const page = await open("model=simulated/reasoning");
      await send(page, "Why is the sky blue?");
      const reasoning = (
        await page.locator("[data-role=assistant] [data-part=reasoning]").allTextContents()
      ).join("");
      const text = (await page.locator("[data-role=assistant] [data-part=text]").allTextContents()).join("");
      expect(reasoning.length).toBeGreaterThan(0);
      expect(text.length).toBeGreaterThan(0);
      await page.close();
      return "reasoning, then text renders";
    },
    "renders reasoning, then text",
  );

  compat.test(
    "/v1/ui/chat",
    "useChat",
    async () => {
      const page = await open("model=simulated/tools&tools=1");
      await send(page, "What is the weather in Paris?");
      const tool = page.locator("[data-role=assistant] [data-part=tool]");
      expect(await tool.getAttribute("data-tool-name")).toBe("get_weather");
      expect(await tool.getAttribute("data-state")).toBe("input-available");
      expect(JSON.parse((await tool.textContent()) ?? "null")).toHaveProperty("city");
      const file = screenshotPath("ai-sdk-usechat");
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${file}`);
      await page.close();
      return "a tool call renders with its parsed input";
    },
    "renders a tool call with its parsed input",
  );
});
