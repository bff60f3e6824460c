import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: [
    "./worker/db/schema.ts",
    "./worker/sandbox/db/schema.ts",
    "./worker/sandbox/db/zoom-schema.ts",
  ],
  out: "./migrations",
});
