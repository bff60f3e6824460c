// The baseline: a hello-world Hono worker on the same runtime, flags and machine as Kairos.
import { Hono } from "hono";

export default new Hono().get("/", (c) => c.text("hello"));
