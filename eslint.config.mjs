// ESLint flat config: typescript-eslint's type-aware recommended rules, React hooks, Next.js, and Drizzle's
// guards against an UPDATE or DELETE without a WHERE. CI runs `npm run lint` with --max-warnings 0.
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "models/**", "migrations/**", "test-results/**", "next-env.d.ts", "scratch/**"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { drizzle, "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      // Every UPDATE/DELETE through a Drizzle handle names its rows (db, tx and the DbOrTx handles the services take).
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "database"] }],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "database"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // An async function that does not await still turns a throw into a rejection — which the fail-closed gate
      // relies on (a stage that throws must reject, not throw synchronously); keep them async.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // Settings are read in one place (src/env.ts), validated there.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read settings through src/env.ts." }],
    },
  },
  { files: ["src/env.ts", "tests/**", "bench/**", "scripts/**", "*.config.*", "drizzle.config.ts", "next.config.ts"], rules: { "no-restricted-properties": "off" } },
  // Vitest's asymmetric matchers (expect.any, expect.stringContaining…) are typed `any` by design.
  { files: ["tests/**"], rules: { "@typescript-eslint/no-unsafe-assignment": "off" } },
  { files: ["**/*.mjs", "**/*.js"], ...tseslint.configs.disableTypeChecked },
);
