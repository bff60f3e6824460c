/**
 * /admin/api in production is behind Cloudflare Access, and the worker checks for itself: only a
 * request carrying an Access JWT for our team and application, signed with the team's key, gets in.
 * A coach session, even one whose email is in ADMIN_EMAILS, is not enough there; locally it still is.
 * The team's certs endpoint is mocked (msw); tokens are signed with a key generated here.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../worker/index";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const TEAM = "kairos-ops.cloudflareaccess.com";
const ISSUER = `https://${TEAM}`;
const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
const production = {
  ...env,
  APP_URL: "https://kairos.example.com",
  SANDBOX: "0",
  ACCESS_TEAM_DOMAIN: TEAM,
  ACCESS_AUD: AUD,
  ADMIN_EMAILS: "dana@coach.test",
} as Env;

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let ours: Keys;
let stranger: Keys;
let certsFetched = 0;

beforeAll(async () => {
  ours = await generateKeyPair("RS256", { extractable: true });
  stranger = await generateKeyPair("RS256", { extractable: true });
});

function serveCerts() {
  server.use(
    http.get(`${ISSUER}/cdn-cgi/access/certs`, async () => {
      certsFetched++;
      const jwk = { ...(await exportJWK(ours.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
      return HttpResponse.json({ keys: [jwk], public_cert: { kid: "key-1", cert: "…" } });
    }),
  );
}

function accessJwt(
  claims: { aud?: string; iss?: string; exp?: string; key?: CryptoKey; kid?: string } = {},
) {
  return new SignJWT({ email: "ops@kairos.example.com", type: "app" })
    .setProtectedHeader({ alg: "RS256", kid: claims.kid ?? "key-1" })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUD)
    .setSubject("7335d417-61da-459d-899c-0a01c76a2f94")
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? "10m")
    .sign(claims.key ?? ours.privateKey);
}

const call = (headers: Record<string, string>, bindings: Env = production) =>
  worker.fetch(
    new Request("https://kairos.example.com/admin/api/dead-letters", { headers }),
    bindings,
    createExecutionContext(),
  );

describe("/admin/api in production", () => {
  it("lets in a request with a valid Access JWT, no coach session needed", async () => {
    serveCerts();
    const res = await call({ "cf-access-jwt-assertion": await accessJwt() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [] });
  });

  it("refuses a coach whose email is in ADMIN_EMAILS but who comes without Access", async () => {
    serveCerts();
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const res = await call({ cookie: jar.header() });
    expect(res.status).toBe(403);
  });

  it.each([
    ["another application's audience", { aud: "someone-elses-aud" }],
    ["another team", { iss: "https://evil.cloudflareaccess.com" }],
    ["an expired token", { exp: "-1m" }],
  ])("refuses %s", async (_, claims) => {
    serveCerts();
    const res = await call({ "cf-access-jwt-assertion": await accessJwt(claims) });
    expect(res.status).toBe(403);
  });

  it("refuses a token signed with another key, under our key id or an unknown one", async () => {
    serveCerts();
    for (const kid of ["key-1", "key-9"]) {
      const token = await accessJwt({ key: stranger.privateKey, kid });
      expect((await call({ "cf-access-jwt-assertion": token })).status).toBe(403);
    }
  });

  it("refuses an HS256 token (no algorithm confusion) and garbage", async () => {
    serveCerts();
    const hs = await new SignJWT({ email: "ops@kairos.example.com" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(ISSUER)
      .setAudience(AUD)
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode("a-shared-secret-of-enough-length-32b"));
    expect((await call({ "cf-access-jwt-assertion": hs })).status).toBe(403);
    expect((await call({ "cf-access-jwt-assertion": "not.a.jwt" })).status).toBe(403);
    expect((await call({})).status).toBe(403);
  });

  it("caches the team's keys instead of fetching them for every request", async () => {
    serveCerts();
    const token = await accessJwt();
    await call({ "cf-access-jwt-assertion": token });
    const before = certsFetched;
    for (let i = 0; i < 3; i++) {
      expect((await call({ "cf-access-jwt-assertion": token })).status).toBe(200);
    }
    expect(certsFetched).toBe(before);
  });

  it("fails closed when Access is not configured", async () => {
    serveCerts();
    const unconfigured = { ...production, ACCESS_TEAM_DOMAIN: "", ACCESS_AUD: "" } as Env;
    const res = await call({ "cf-access-jwt-assertion": await accessJwt() }, unconfigured);
    expect(res.status).toBe(403);
  });
});

describe("/admin/api locally", () => {
  it("still takes a signed-in coach listed in ADMIN_EMAILS, and ignores Access headers", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const local = { ...env, ADMIN_EMAILS: "dana@coach.test" } as Env;
    const req = (headers: Record<string, string>) =>
      worker.fetch(
        new Request("http://kairos.test/admin/api/dead-letters", { headers }),
        local,
        createExecutionContext(),
      );
    expect((await req({ cookie: jar.header() })).status).toBe(200);
    expect((await req({ "cf-access-jwt-assertion": await accessJwt() })).status).toBe(401);
  });
});
