// ESLint (flat config): JS recommended, typescript-eslint with type information, React hooks rules.
// Formatting is Prettier's business (npm run format); nothing here checks layout.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "target/", "node_modules/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        // src and test (tsconfig.test.json), the demo page (tsconfig.demo.json)
        project: ["./tsconfig.test.json", "./tsconfig.demo.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_` marks a value left unused on purpose (`for await (const _ of s)`, omitting keys by destructuring)
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["src/react/**/*.{ts,tsx}", "test/**/*.tsx", "demo/**/*.tsx"],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ["**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
