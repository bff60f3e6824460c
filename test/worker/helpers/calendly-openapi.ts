/**
 * Calendly's own OpenAPI document (its 2023 export, copied into test/fixtures/calendly-openapi/)
 * as a judge of the fake's answers. OpenAPI 3.0 is not quite JSON Schema, so each response schema
 * is turned into one first: every `$ref` is inlined and `nullable: true` becomes "or null".
 * @cfworker/json-schema validates without generating code (workerd forbids `new Function`, which
 * ajv needs).
 *
 * The document predates Calendly's 2025–26 changes. Where the fake follows a newer, documented
 * Calendly on purpose, DRIFT below widens the old schema, each entry with its reason; nothing else
 * is relaxed. It also repairs the one pattern that is not a valid ECMAScript (Unicode) expression.
 */
import { type OutputUnit, Validator } from "@cfworker/json-schema";
import spec from "../../fixtures/calendly-openapi/calendly-openapi.json";

type Node = Record<string, unknown>;
const doc = structuredClone(spec) as unknown as Node;

const DRIFT: { at: string; why: string; patch: (schema: Node) => void }[] = [
  {
    at: "#/components/schemas/ZoomConference/properties/type",
    why: 'Calendly answers the 2026 "zoom" variant too (contract §2.6); the fake sends it so Kairos keeps parsing location types leniently.',
    patch: (s) => {
      s.enum = [...(s.enum as string[]), "zoom"];
    },
  },
  {
    at: "#/components/schemas/WebhookSubscription/properties/events/items",
    why: "Webhook events added after 2023 (contract §3.2): no-shows and event-type changes; Kairos subscribes to them.",
    patch: (s) => {
      s.enum = [
        ...(s.enum as string[]),
        "invitee_no_show.created",
        "invitee_no_show.deleted",
        "event_type.created",
        "event_type.updated",
        "event_type.deleted",
      ];
    },
  },
  {
    at: "#/components/schemas/AvailabilityRule/properties/date",
    why: "`\\-` outside a character class is an error in a Unicode-mode pattern; same meaning without it.",
    patch: (s) => {
      s.pattern = (s.pattern as string).replaceAll("\\-", "-");
    },
  },
];

function pointer(ref: string): Node {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are expected, got ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Node)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return node as Node;
}

for (const d of DRIFT) d.patch(pointer(d.at));

/** The schema with its refs inlined (OpenAPI 3.0 ignores a $ref's siblings) and nullable as null. */
function toJsonSchema(node: unknown, trail: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, trail));
  if (!node || typeof node !== "object") return node;
  const o = node as Node;
  if (typeof o.$ref === "string") {
    if (trail.includes(o.$ref)) throw new Error(`recursive $ref ${o.$ref}`);
    return toJsonSchema(pointer(o.$ref), [...trail, o.$ref]);
  }
  const out: Node = {};
  for (const [key, value] of Object.entries(o)) {
    if (key === "nullable") continue;
    out[key] =
      key === "properties"
        ? Object.fromEntries(
            Object.entries(value as Node).map(([name, s]) => [name, toJsonSchema(s, trail)]),
          )
        : toJsonSchema(value, trail);
  }
  return o.nullable === true ? { anyOf: [{ type: "null" }, out] } : out;
}

function responseSchema(path: string, method: string, status: string): Node {
  const operation = (doc.paths as Record<string, Record<string, Node>>)[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
  let response = (operation.responses as Record<string, Node>)[status];
  if (typeof response?.$ref === "string") response = pointer(response.$ref);
  const schema = (response?.content as Record<string, { schema?: Node }> | undefined)?.[
    "application/json"
  ]?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${status} has no JSON schema`);
  return toJsonSchema(schema) as Node;
}

const validators = new Map<string, Validator>();

function check(key: string, schema: () => Node, body: unknown): string[] {
  let v = validators.get(key);
  if (!v) {
    v = new Validator(schema(), "2019-09", false);
    validators.set(key, v);
  }
  const result = v.validate(body);
  return result.valid ? [] : leafErrors(result.errors);
}

/** Errors of one operation's documented answer, e.g. ("/event_types/{uuid}", body). */
export const openApiErrors = (path: string, body: unknown, status = "200", method = "get") =>
  check(`${method} ${path} ${status}`, () => responseSchema(path, method, status), body);

/**
 * Errors against the documented error body. The per-status response schemas add `title`/`message`
 * constraints with malformed keywords (`"enum": "<string>"`, `value`) that are not JSON Schema, and
 * the contract warns that several are wrong; the common ErrorResponse is what holds.
 */
export const errorBodyErrors = (body: unknown) =>
  check(
    "ErrorResponse",
    () => toJsonSchema(pointer("#/components/schemas/ErrorResponse")) as Node,
    body,
  );

const WRAPPERS = new Set(["anyOf", "oneOf", "allOf", "properties", "items", "$ref"]);

/** The innermost messages only: "a property failed" wrappers say nothing their leaves do not. */
function leafErrors(errors: OutputUnit[]): string[] {
  const leaves = errors.filter((e) => !WRAPPERS.has(e.keyword));
  return (leaves.length ? leaves : errors).map((e) => `${e.instanceLocation}: ${e.error}`);
}
