#!/usr/bin/env node
// Renders README's client compatibility matrix from the result files the compatibility tests write:
//   e2e/target/compat/<client-id>.json                 (npm clients, e2e/support/compat.ts)
//   compat/java/<module>/target/compat/<client-id>.json (Java clients, one Maven module each)
// Each file is a JSON array of rows {client, language, version, endpoint, scenario, result, detail}.
//
//   node e2e/scripts/compat-matrix.mjs           prints the table
//   node e2e/scripts/compat-matrix.mjs --write   replaces README.md's section between the markers
//   node e2e/scripts/compat-matrix.mjs --check   exits 1 (printing the difference) when README's table
//                                               is not what the results say; when some expected
//                                               client has no result file (a partial run) it says
//                                               so in one line and exits 0
//
// Plain Node, no dependencies: it runs before and after `npm ci`, from any working directory.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = path.join(root, "README.md");
const BEGIN = "<!-- compat-matrix:begin -->";
const END = "<!-- compat-matrix:end -->";
const WRITE_HINT = "run: node e2e/scripts/compat-matrix.mjs --write";

/** The npm clients' result files the e2e specs write (tests/compat/*.e2e.ts, tests/ai-sdk-usechat.e2e.ts). */
const NPM_CLIENT_IDS = [
  "openai",
  "ai-sdk-openai",
  "ai-sdk-openai-chat",
  "ai-sdk-openai-compatible",
  "anthropic-ai-sdk",
  "ai-sdk-anthropic",
  "ai-sdk-react-usechat",
];

const LANGUAGES = ["TypeScript", "Java"];
const ENDPOINTS = ["/v1/chat/completions", "/v1/responses", "/v1/messages", "/v1/models", "/v1/ui/chat"];
const SCENARIOS = ["text", "tools", "abort", "unknown model", "thinking", "list", "retrieve", "useChat"];
const RESULTS = ["pass", "fail"];

class MatrixError extends Error {}

/** Every result file: [{file, rows}], plus which expected results are missing. */
function readResults() {
  const files = [];
  const missing = [];
  const npmDir = path.join(root, "e2e", "target", "compat");
  for (const id of NPM_CLIENT_IDS) {
    if (!existsSync(path.join(npmDir, `${id}.json`))) missing.push(`e2e ${id}`);
  }
  if (existsSync(npmDir)) {
    for (const name of readdirSync(npmDir)
      .filter((n) => n.endsWith(".json"))
      .sort()) {
      files.push(path.join(npmDir, name));
    }
  }
  // every Java compatibility module is expected to write at least one result file
  const javaRoot = path.join(root, "compat", "java");
  if (existsSync(javaRoot)) {
    for (const module of readdirSync(javaRoot).sort()) {
      if (!existsSync(path.join(javaRoot, module, "pom.xml"))) continue;
      const dir = path.join(javaRoot, module, "target", "compat");
      const names = existsSync(dir)
        ? readdirSync(dir)
            .filter((n) => n.endsWith(".json"))
            .sort()
        : [];
      if (names.length === 0) missing.push(`compat/java/${module}`);
      for (const name of names) files.push(path.join(dir, name));
    }
  }
  return { rows: files.flatMap(readRows), missing };
}

function readRows(file) {
  const where = path.relative(root, file);
  let rows;
  try {
    rows = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new MatrixError(`${where}: not JSON (${e.message})`);
  }
  if (!Array.isArray(rows)) throw new MatrixError(`${where}: expected an array of result rows`);
  rows.forEach((row, i) => {
    const bad = (what) => new MatrixError(`${where}[${i}]: ${what}`);
    if (row === null || typeof row !== "object") throw bad("a row must be an object");
    for (const key of ["client", "version", "detail"]) {
      if (typeof row[key] !== "string") throw bad(`"${key}" must be a string`);
    }
    if (row.client.trim() === "" || row.version.trim() === "")
      throw bad("client and version must not be empty");
    const oneOf = (key, values) => {
      if (!values.includes(row[key]))
        throw bad(`"${key}" must be one of ${values.join(", ")}; found ${JSON.stringify(row[key])}`);
    };
    oneOf("language", LANGUAGES);
    oneOf("endpoint", ENDPOINTS);
    oneOf("scenario", SCENARIOS);
    oneOf("result", RESULTS);
  });
  return rows;
}

/** Markdown inline code that survives any backtick in the text. */
function code(text) {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** The markdown table: one line per client (language, version) and endpoint, one column per scenario seen. */
function renderTable(rows) {
  const lines = new Map(); // key → {client, language, version, endpoint, cells: Map(scenario → result)}
  for (const row of rows) {
    const key = JSON.stringify([row.language, row.client, row.version, row.endpoint]);
    let line = lines.get(key);
    if (!line) {
      line = { ...row, cells: new Map() };
      lines.set(key, line);
    }
    // a cell passes only if every row recorded for it passed
    if (line.cells.get(row.scenario) !== "fail") line.cells.set(row.scenario, row.result);
  }
  const columns = SCENARIOS.filter((s) => rows.some((row) => row.scenario === s));
  const sorted = [...lines.values()].sort(
    (a, b) =>
      LANGUAGES.indexOf(a.language) - LANGUAGES.indexOf(b.language) ||
      (a.client < b.client ? -1 : a.client > b.client ? 1 : 0) ||
      (a.version < b.version ? -1 : a.version > b.version ? 1 : 0) ||
      ENDPOINTS.indexOf(a.endpoint) - ENDPOINTS.indexOf(b.endpoint),
  );
  const symbol = { pass: "✅", fail: "❌" };
  const out = [
    `| client | language | version | endpoint | ${columns.join(" | ")} |`,
    `|---|---|---|---|${columns.map(() => ":-:").join("|")}|`,
  ];
  for (const line of sorted) {
    const cells = columns.map((s) => symbol[line.cells.get(s)] ?? "—");
    out.push(
      `| ${code(line.client)} | ${line.language} | ${line.version} | ${code(line.endpoint)} | ${cells.join(" | ")} |`,
    );
  }
  return out.join("\n");
}

/** README's text with the section between the markers replaced by `table`. */
function withTable(text, table) {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new MatrixError(`README.md has no "${BEGIN}" … "${END}" section`);
  return `${text.slice(0, begin + BEGIN.length)}\n${table}\n${text.slice(end)}`;
}

/** A line diff of two short texts (longest common subsequence): "-" lines of a, "+" lines of b. */
function diff(a, b) {
  const x = a.split("\n");
  const y = b.split("\n");
  const lcs = Array.from({ length: x.length + 1 }, () => new Array(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < y.length && (i === x.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push(`+ ${y[j++]}`);
    } else {
      out.push(`- ${x[i++]}`);
    }
  }
  return out.join("\n");
}

function main(args) {
  const mode = args[0] ?? "--print";
  if (!["--print", "--write", "--check"].includes(mode) || args.length > 1) {
    console.error("usage: node e2e/scripts/compat-matrix.mjs [--write | --check]");
    return 2;
  }
  const { rows, missing } = readResults();
  if (mode === "--check" && missing.length > 0) {
    console.log(`compat-matrix: README not checked: no results from ${missing.join(", ")} (a partial run)`);
    return 0;
  }
  const table = renderTable(rows);
  if (mode === "--print") {
    console.log(table);
    return 0;
  }
  const current = readFileSync(readme, "utf8");
  const wanted = withTable(current, table);
  if (mode === "--write") {
    if (missing.length > 0)
      console.log(`compat-matrix: no results from ${missing.join(", ")}; their rows are left out`);
    if (wanted !== current) writeFileSync(readme, wanted);
    console.log(
      `compat-matrix: README.md ${wanted === current ? "already up to date" : "written"} (${rows.length} results)`,
    );
    return 0;
  }
  if (wanted === current) {
    console.log(`compat-matrix: README.md matches the results (${rows.length} results)`);
    return 0;
  }
  console.error("compat-matrix: README.md's compatibility matrix differs from this run's results:");
  console.error(diff(current, wanted));
  console.error(WRITE_HINT);
  return 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof MatrixError)) throw e;
  console.error(`compat-matrix: ${e.message}`);
  process.exitCode = 1;
}
