import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema and applied by the app at start-up (PGlite) or `npm run db:migrate`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema.ts",
  out: "./migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost:5432/clearance" },
});
