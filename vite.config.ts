/**
 * Builds the web entries into dist/ (served by Workers static assets): the dashboard, the booking
 * page (its own entry, so clients never download dashboard code) and the /embed.js loader.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import preact from "@preact/preset-vite";
import { build as esbuild } from "esbuild";
import { defineConfig, type Plugin } from "vite";

const require = createRequire(import.meta.url);

/** Serve the API reference script ourselves: /api/docs must work offline and without a CDN. */
const vendorApiReference = (): Plugin => ({
  name: "kairos-vendor-api-reference",
  apply: "build",
  writeBundle(options) {
    const out = resolve(options.dir ?? "dist", "vendor");
    mkdirSync(out, { recursive: true });
    const script = require.resolve("@scalar/api-reference/browser/standalone.js");
    copyFileSync(script, resolve(out, "scalar-api-reference.js"));
  },
});

/** /embed.js, the loader coaches paste on their sites: a separate tiny IIFE (≤ 2.5 kB gzipped). */
const embedLoader = (): Plugin => ({
  name: "kairos-embed-loader",
  apply: "build",
  async writeBundle(options) {
    await esbuild({
      entryPoints: [resolve(import.meta.dirname, "web/embed/loader.ts")],
      outfile: resolve(options.dir ?? "dist", "embed.js"),
      bundle: true,
      format: "iife",
      minify: true,
      target: "es2019",
      legalComments: "none",
      logLevel: "warning",
    });
  },
});

export default defineConfig({
  root: "web",
  plugins: [preact(), vendorApiReference(), embedLoader()],
  build: {
    outDir: resolve(import.meta.dirname, "dist"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "web/index.html"),
        book: resolve(import.meta.dirname, "web/book.html"),
      },
    },
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      ["/api", "/oauth", "/webhooks", "/sandbox", "/openapi.json", "/vendor"].map((p) => [
        p,
        { target: `http://localhost:${process.env.WORKER_PORT ?? 8787}`, ws: p === "/api" },
      ]),
    ),
  },
});
