import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath, type LaunchedBrowser } from "./browser.js";
import { readCounter, startGateway, type Gateway } from "./gateway.js";

export type Transport = "sse" | "ws";

/** One prompt of a test: the model of the simulated provider, and its provider options as JSON. */
interface Ask {
  model: string;
  prompt: string;
  options?: string;
}

/**
 * The demo page's end-to-end tests, for one transport: a real `aistream serve`, the page it serves
 * at `/`, Chromium driven by playwright-core. Every wait is on a DOM, network or metrics condition.
 */
export function defineDemoSuite(transport: Transport): void {
  const name = transport === "ws" ? "WebSocket" : "SSE";

  describe(`demo page over ${name}`, () => {
    let gateway: Gateway;
    let chromium: LaunchedBrowser;
    let page: Page;
    /** Text frames the page sent on its WebSockets. */
    const framesSent: string[] = [];

    beforeAll(async () => {
      gateway = await startGateway();
      chromium = await launchChromium();
      page = await chromium.context.newPage();
      page.on("websocket", (ws) =>
        ws.on("framesent", (f) => {
          if (typeof f.payload === "string") framesSent.push(f.payload);
        }),
      );
      await page.goto(gateway.url);
      // the picker is filled from GET /health
      await page.locator('[data-testid=provider] option[value="simulated"]').waitFor({ state: "attached" });
      await page.getByTestId("provider").selectOption("simulated");
      await page.getByRole("radio", { name }).check();
    });

    afterAll(async () => {
      await chromium?.close();
      await gateway?.stop();
    });

    async function newChat(): Promise<void> {
      await page.getByRole("button", { name: "New chat" }).click();
      await page.getByTestId("turn-live").waitFor({ state: "detached" });
    }

    async function ask(a: Ask): Promise<void> {
      await page.getByTestId("model").selectOption(a.model);
      await page.getByTestId("provider-options").fill(a.options ?? "");
      await page.getByTestId("prompt").fill(a.prompt);
      await page.getByRole("button", { name: "Send" }).click();
    }

    /** Waits until the stream answering `prompt` has `status`. */
    async function waitForStatus(prompt: string, status: string): Promise<void> {
      await page.waitForFunction(
        ([p, s]) => {
          const turn = document.querySelector("[data-testid=turn-live]");
          return turn?.querySelector(".user")?.textContent === p && turn.getAttribute("data-status") === s;
        },
        [prompt, status] as const,
        { timeout: 30_000 },
      );
    }

    /** Waits until the stream answering `prompt` is still streaming and `part` shows some text; returns it. */
    async function waitForPartial(prompt: string, part: "answer" | "reasoning"): Promise<string> {
      const handle = await page.waitForFunction(
        ([p, testId]) => {
          const turn = document.querySelector("[data-testid=turn-live]");
          if (
            turn?.querySelector(".user")?.textContent !== p ||
            turn.getAttribute("data-status") !== "streaming"
          )
            return null;
          const text = turn.querySelector(`[data-testid=${testId}]`)?.textContent ?? "";
          return text.length > 0 ? text : null;
        },
        [prompt, part] as const,
        { timeout: 30_000 },
      );
      return (await handle.jsonValue()) as string;
    }

    async function answer(): Promise<string> {
      return (await page.getByTestId("turn-live").getByTestId("answer").textContent()) ?? "";
    }

    async function activeStreams(): Promise<number> {
      const res = await fetch(new URL("health", gateway.url));
      return ((await res.json()) as { activeStreams: number }).activeStreams;
    }

    it("streams the answer to a typed prompt, with live time to first token and tokens/s", async () => {
      await newChat();
      const prompt =
        "Streaming from the gateway to the browser one token at a time lets a reader start long before " +
        "the answer is complete, which is the whole point of this small demo page and its tests.";
      await ask({ model: "echo", prompt });

      const partial = await waitForPartial(prompt, "answer");
      expect(partial.length).toBeLessThan(prompt.length);
      expect(prompt.startsWith(partial)).toBe(true);

      await waitForStatus(prompt, "done");
      expect(await answer()).toBe(prompt);
      expect(await page.getByTestId("ttft").textContent()).toMatch(/^\d+ ms$/);
      const rate = Number(await page.getByTestId("tps").textContent());
      // the gateway paces the simulated provider at 40 tokens/s
      expect(rate).toBeGreaterThan(10);
      expect(rate).toBeLessThan(200);
      await page.locator("[data-testid=log] [data-event=done]").waitFor();
    });

    it("Stop cancels the stream on the server (its abort counter rises)", async () => {
      const labels: Record<string, string> = transport === "sse" ? { cause: "delete" } : {};
      const before = await readCounter(gateway, "aistream_aborts_total", labels);
      await newChat();
      const prompt = "A long answer, please; I will stop it.";
      await ask({ model: "lorem", prompt, options: '{"length": 400}' });
      await waitForPartial(prompt, "answer");

      await page.getByRole("button", { name: "Stop" }).click();
      await waitForStatus(prompt, "aborted");

      await expect
        .poll(() => readCounter(gateway, "aistream_aborts_total", labels), { timeout: 10_000 })
        .toBe(before + 1);
      await expect.poll(activeStreams, { timeout: 10_000 }).toBe(0);
    });

    it("Drop connection mid-stream: the client resumes from the last seq and ends with the undisturbed text", async () => {
      const options = '{"seed": 7, "length": 120}';
      const prompt = "Deterministic lorem, please.";

      await newChat();
      await ask({ model: "lorem", prompt, options });
      await waitForStatus(prompt, "done");
      const undisturbed = await answer();
      expect(undisturbed.trim().split(/\s+/)).toHaveLength(120);

      const abortsBefore = await readCounter(gateway, "aistream_aborts_total");
      const resumesBefore = await readCounter(gateway, "aistream_resume_requests_total", { outcome: "ok" });
      const framesBefore = framesSent.length;
      await newChat();
      const resumeRequest: Promise<Request> | undefined =
        transport === "sse"
          ? page.waitForRequest((r) => r.method() === "GET" && /\/v1\/streams\/[^/]+$/.test(r.url()), {
              timeout: 30_000,
            })
          : undefined;
      await ask({ model: "lorem", prompt, options });
      await page.waitForFunction(
        () => Number(document.querySelector("[data-testid=last-seq]")?.getAttribute("data-seq")) >= 30,
        undefined,
        { timeout: 30_000 },
      );

      await page.getByRole("button", { name: "Drop connection" }).click();
      const droppedText = (await page.locator("[data-testid=log] [data-event=dropped]").textContent()) ?? "";
      const m = /after seq (\d+)/.exec(droppedText);
      expect(m, droppedText).not.toBeNull();
      const lastSeq = Number(m![1]);
      expect(lastSeq).toBeGreaterThanOrEqual(30);

      await page.locator("[data-testid=log] [data-event=resumed]").waitFor({ timeout: 30_000 });
      await waitForStatus(prompt, "done");
      expect(await answer()).toBe(undisturbed);
      const check = page.getByTestId("seq-check");
      expect(await check.getAttribute("data-gaps")).toBe("0");
      expect(await check.getAttribute("data-duplicates")).toBe("0");
      expect(await page.locator("[data-testid=log] [data-event=resumed]").textContent()).toContain(
        `the next chunk is seq ${lastSeq + 1}`,
      );

      if (transport === "sse") {
        // the client asked for exactly what it missed
        const req = await resumeRequest!;
        expect(await req.headerValue("last-event-id")).toBe(String(lastSeq));
        expect(await readCounter(gateway, "aistream_resume_requests_total", { outcome: "ok" })).toBe(
          resumesBefore + 1,
        );
      } else {
        const resumes = framesSent
          .slice(framesBefore)
          .map((f) => JSON.parse(f) as { type?: string; after?: number })
          .filter((f) => f.type === "resume");
        expect(resumes.map((f) => f.after)).toEqual([lastSeq]);
      }
      // the drop was not an abort: the server kept the stream running
      expect(await readCounter(gateway, "aistream_aborts_total")).toBe(abortsBefore);
    });

    it("shows a tool call and reasoning as they stream; saves a screenshot", async () => {
      await newChat();
      const weather = "What is the weather in Paris?";
      await ask({ model: "tools", prompt: weather });
      await waitForStatus(weather, "done");
      const live = page.getByTestId("turn-live");
      expect(await live.getByTestId("tool-name").textContent()).toBe("get_weather");
      expect(JSON.parse((await live.getByTestId("tool-arguments").textContent()) ?? "")).toHaveProperty(
        "city",
      );
      expect(await live.locator("[data-testid=tool-calls] li").getAttribute("data-complete")).toBe("true");

      const why = "Why is the sky blue?";
      await ask({ model: "reasoning", prompt: why });
      // reasoning shows while the stream runs, before the answer
      await waitForPartial(why, "reasoning");
      await waitForStatus(why, "done");
      expect((await live.getByTestId("reasoning").textContent())?.length).toBeGreaterThan(0);
      expect((await answer()).length).toBeGreaterThan(0);
      // the earlier exchange stays in the conversation
      expect(await page.locator(".transcript .turn:not(.live) .tool-name").textContent()).toBe("get_weather");

      const file = screenshotPath(`demo-${transport}`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${file}`);
    });
  });
}
