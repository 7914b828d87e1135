import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The demo page of `aistream serve`: built into target/demo, which the server module copies into
// its classpath folder static/ (served at /). `npm run dev:demo` serves it with a proxy to a
// gateway on 127.0.0.1:8080 (`./aistream serve`).
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const gateway = process.env.AISTREAM_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: here("."),
  base: "./",
  publicDir: false,
  resolve: {
    // the page is built from this package's sources, not from a published copy
    alias: [
      { find: /^@aistream\/client\/react$/, replacement: here("../src/react/index.ts") },
      { find: /^@aistream\/client$/, replacement: here("../src/index.ts") },
    ],
  },
  oxc: {
    jsx: { runtime: "automatic" },
  },
  build: {
    outDir: here("../target/demo"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      "/v1": { target: gateway, ws: true },
      "/health": gateway,
      "/metrics": gateway,
    },
  },
});
