/**
 * Stands in for zod's `locales/index.js` in the wrangler bundle ([alias] in wrangler.toml): zod
 * re-exports every translation as `z.locales`, and @hono/zod-openapi passes the whole `z` object
 * around, so none of the 50 tables could be tree-shaken (~260 KB, a quarter of the bundle). Kairos
 * answers in English only; zod's own schemas import `en` directly, so errors read the same.
 */
export { default as en } from "zod/v4/locales/en.js";
