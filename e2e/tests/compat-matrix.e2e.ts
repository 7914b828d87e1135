// scripts/compat-matrix.mjs on a repository of its own (a temporary folder with the script, a README
// and result files), run as a process the way npm test runs it.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CompatRow } from "../support/compat.js";

const script = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "scripts",
  "compat-matrix.mjs",
);

const NPM_IDS = [
  "openai",
  "ai-sdk-openai",
  "ai-sdk-openai-chat",
  "ai-sdk-openai-compatible",
  "anthropic-ai-sdk",
  "ai-sdk-anthropic",
  "ai-sdk-react-usechat",
];

const README = `# x\n\nintro\n\n<!-- compat-matrix:begin -->\nold table\n<!-- compat-matrix:end -->\n\nafter\n`;

function row(over: Partial<CompatRow> = {}): CompatRow {
  return {
    client: "openai",
    language: "TypeScript",
    version: "7.55.0",
    endpoint: "/v1/chat/completions",
    scenario: "text",
    result: "pass",
    detail: "ok",
    ...over,
  };
}

describe("compat-matrix.mjs", () => {
  let repo: string;

  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), "aistream-compat-matrix-"));
    mkdirSync(path.join(repo, "e2e", "scripts"), { recursive: true });
    copyFileSync(script, path.join(repo, "e2e", "scripts", "compat-matrix.mjs"));
    writeFileSync(path.join(repo, "README.md"), README);
  });

  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  function results(id: string, rows: unknown, dir = path.join(repo, "e2e", "target", "compat")): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(rows));
  }

  /** Every expected npm client with one passing text row (client named after its id). */
  function allNpmResults(): void {
    for (const id of NPM_IDS) results(id, [row({ client: id })]);
  }

  function run(...args: string[]): { status: number | null; out: string } {
    const r = spawnSync(process.execPath, [path.join(repo, "e2e", "scripts", "compat-matrix.mjs"), ...args], {
      encoding: "utf8",
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  const readme = () => readFileSync(path.join(repo, "README.md"), "utf8");

  it("renders one line per client and endpoint, a column per scenario seen, ❌ when any row of a cell failed", () => {
    results("openai", [
      row(),
      row({ scenario: "abort", result: "fail", detail: "Error: boom" }),
      row({ endpoint: "/v1/models", scenario: "list" }),
    ]);
    results("ai-sdk-react-usechat", [
      row({
        client: "@ai-sdk/react useChat",
        version: "4.0.1",
        endpoint: "/v1/ui/chat",
        scenario: "useChat",
      }),
      row({
        client: "@ai-sdk/react useChat",
        version: "4.0.1",
        endpoint: "/v1/ui/chat",
        scenario: "useChat",
        result: "fail",
      }),
    ]);
    results(
      "openai-java",
      [row({ client: "openai-java", language: "Java", version: "4.1.0" })],
      path.join(repo, "compat", "java", "openai", "target", "compat"),
    );
    writeFileSync(path.join(repo, "compat", "java", "openai", "pom.xml"), "<project/>");
    const { status, out } = run();
    expect(status).toBe(0);
    expect(out.trim().split("\n")).toEqual([
      "| client | language | version | endpoint | text | abort | list | useChat |",
      "|---|---|---|---|:-:|:-:|:-:|:-:|",
      "| `@ai-sdk/react useChat` | TypeScript | 4.0.1 | `/v1/ui/chat` | — | — | — | ❌ |",
      "| `openai` | TypeScript | 7.55.0 | `/v1/chat/completions` | ✅ | ❌ | — | — |",
      "| `openai` | TypeScript | 7.55.0 | `/v1/models` | — | — | ✅ | — |",
      "| `openai-java` | Java | 4.1.0 | `/v1/chat/completions` | ✅ | — | — | — |",
    ]);
  });

  it("--check passes a partial run with one line naming what is missing", () => {
    results("openai", [row()]);
    mkdirSync(path.join(repo, "compat", "java", "spring"), { recursive: true });
    writeFileSync(path.join(repo, "compat", "java", "spring", "pom.xml"), "<project/>");
    const { status, out } = run("--check");
    expect(status).toBe(0);
    expect(out).toContain("README not checked: no results from e2e ai-sdk-openai");
    expect(out).toContain("compat/java/spring");
    expect(readme()).toBe(README);
  });

  it("--check fails with the difference and the command to run when README is stale; --write fixes it", () => {
    allNpmResults();
    const stale = run("--check");
    expect(stale.status).toBe(1);
    expect(stale.out).toContain("- old table");
    expect(stale.out).toContain("+ | `openai` | TypeScript | 7.55.0 | `/v1/chat/completions` | ✅ |");
    expect(stale.out).toContain("run: node e2e/scripts/compat-matrix.mjs --write");

    expect(run("--write").status).toBe(0);
    expect(readme()).toMatch(/^# x\n\nintro\n\n<!-- compat-matrix:begin -->\n\| client \|/);
    expect(readme()).toMatch(/\|\n<!-- compat-matrix:end -->\n\nafter\n$/);
    expect(run("--check")).toMatchObject({ status: 0 });

    // a new version is a different README
    results("openai", [row({ version: "7.56.0" })]);
    expect(run("--check").status).toBe(1);
  });

  it("a Java module without results counts as missing", () => {
    allNpmResults();
    mkdirSync(path.join(repo, "compat", "java", "langchain4j", "target", "compat"), { recursive: true });
    writeFileSync(path.join(repo, "compat", "java", "langchain4j", "pom.xml"), "<project/>");
    const { status, out } = run("--check");
    expect(status).toBe(0);
    expect(out).toContain("no results from compat/java/langchain4j");
  });

  it("a malformed row fails naming its file, index and field", () => {
    results("openai", [row(), { ...row(), scenario: "texts" }]);
    const { status, out } = run();
    expect(status).toBe(1);
    expect(out).toContain(
      'e2e/target/compat/openai.json[1]: "scenario" must be one of text, tools, abort, unknown model, thinking, list, retrieve, useChat; found "texts"',
    );
  });

  it("README without the markers is an error, not a silent append", () => {
    allNpmResults();
    writeFileSync(path.join(repo, "README.md"), "# x\n");
    const { status, out } = run("--write");
    expect(status).toBe(1);
    expect(out).toContain("README.md has no");
  });
});
