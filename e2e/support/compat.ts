import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { readCounter, type Gateway } from "./gateway.js";

/**
 * The client compatibility matrix: every scenario a client spec runs records one result row, pass
 * or fail, in e2e/target/compat/<client-id>.json (an array of rows). scripts/compat-matrix.mjs
 * renders README's table from these files and the Java modules' (compat/java/<module>/target/compat).
 */

const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** e2e/target/compat: one result file per client (emptied at the start of a run by global-setup.ts). */
export const compatDir = path.join(e2eDir, "target", "compat");

export type Endpoint =
  "/v1/chat/completions" | "/v1/responses" | "/v1/messages" | "/v1/models" | "/v1/ui/chat";

export type Scenario =
  "text" | "tools" | "abort" | "unknown model" | "thinking" | "list" | "retrieve" | "useChat";

/** One row of the matrix (the shape the Java modules write too). */
export interface CompatRow {
  client: string;
  language: "TypeScript" | "Java";
  version: string;
  endpoint: Endpoint;
  scenario: Scenario;
  result: "pass" | "fail";
  detail: string;
}

/** The installed version of an npm package (its package.json in e2e/node_modules), never typed by hand. */
export function installedVersion(pkg: string): string {
  const file = path.join(e2eDir, "node_modules", ...pkg.split("/"), "package.json");
  const { version } = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`${file} names no version`);
  return version;
}

/** One line, at most 200 characters: what went wrong (or right) in a table cell's tooltip. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * Collects one client's rows and rewrites its result file after each scenario (a run cut short
 * still leaves the rows it finished). One per client per spec file; scenarios run one at a time.
 */
export class CompatClient {
  private readonly rows: CompatRow[] = [];
  readonly version: string;

  /**
   * @param id     the result file's name (`<id>.json`), e.g. `ai-sdk-openai-chat`
   * @param client the client as users know it, e.g. `@ai-sdk/openai (.chat)`
   * @param pkg    the npm package whose installed version the rows carry
   */
  constructor(
    readonly id: string,
    readonly client: string,
    pkg: string,
  ) {
    this.version = installedVersion(pkg);
  }

  /**
   * Declares a vitest test `<endpoint> <scenario>` that runs `scenario` and records its row; a failure
   * is recorded, then rethrown so the test fails. `scenario` resolves with the passing row's detail.
   */
  test(endpoint: Endpoint, scenario: Scenario, run: () => Promise<string>, title?: string): void {
    it(title ?? `${endpoint} ${scenario}`, async () => {
      try {
        const detail = await run();
        this.record(endpoint, scenario, "pass", detail);
      } catch (e) {
        this.record(endpoint, scenario, "fail", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        throw e;
      }
    });
  }

  private record(endpoint: Endpoint, scenario: Scenario, result: "pass" | "fail", detail: string): void {
    this.rows.push({
      client: this.client,
      language: "TypeScript",
      version: this.version,
      endpoint,
      scenario,
      result,
      detail: oneLine(detail),
    });
    mkdirSync(compatDir, { recursive: true });
    writeFileSync(path.join(compatDir, `${this.id}.json`), `${JSON.stringify(this.rows, null, 2)}\n`);
  }
}

/** The words of a prompt simulated/echo answers with, one delta per word: a stream of ~10 s at 40 tokens/s. */
export const LONG_PROMPT = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");

/** The tool every tools scenario offers, and the result the client sends back. */
export const WEATHER = {
  name: "get_weather",
  description: "The current weather in a city",
  parameters: {
    type: "object" as const,
    properties: { city: { type: "string" as const } },
    required: ["city"],
  },
  result: "sunny, 21 degrees",
};

/** Reads aistream_aborts_total, for the abort scenarios' before/after comparison. */
export function abortsTotal(gateway: Gateway): Promise<number> {
  return readCounter(gateway, "aistream_aborts_total");
}

/** Throws unless `condition`, with `message` (a scenario's own check, recorded as its failure). */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
