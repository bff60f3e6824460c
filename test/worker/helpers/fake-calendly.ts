/**
 * A minimal MSW stand-in for Calendly, for tests that need to control exactly what Calendly answers
 * (the full fake lives in worker/sandbox). Each user has its own tokens; refresh tokens rotate.
 */
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { CALENDLY_SCOPES } from "../../../worker/calendly/oauth";

const BASE = "http://kairos.test/sandbox/calendly";

/** Calendly sends its rate-limit headers on every answer (a paid plan: 500 per minute). */
export function calendlyJson(body: unknown, init: { status?: number } = {}) {
  return HttpResponse.json(body as Record<string, unknown>, {
    ...init,
    headers: {
      "x-ratelimit-limit": "500",
      "x-ratelimit-remaining": "499",
      "x-ratelimit-reset": "60",
    },
  });
}

export type FakeUser = {
  token: string;
  uri: string;
  name: string;
  email: string;
  eventTypes: string[];
};

export const dana: FakeUser = {
  token: "access-dana",
  uri: `${BASE}/users/dana`,
  name: "Dana Reyes",
  email: "dana@coach.test",
  eventTypes: ["Intro Call", "Coaching Session", "Group Workshop"],
};
export const lee: FakeUser = {
  token: "access-lee",
  uri: `${BASE}/users/lee`,
  name: "Lee Park",
  email: "lee@coach.test",
  eventTypes: ["Discovery Call", "Strategy Session"],
};

const slug = (s: string) => s.toLowerCase().replaceAll(" ", "-");

export type FakeSubscription = {
  uri: string;
  callback_url: string;
  state: "active" | "disabled";
  events: string[];
  signing_key: string;
};

/** Webhook subscription endpoints over a map the test can inspect and change. */
export function fakeSubscriptions(store = new Map<string, FakeSubscription>()) {
  let n = 0;
  const handlers = [
    http.post(`${BASE}/webhook_subscriptions`, async ({ request }) => {
      const body = (await request.json()) as { url: string; events: string[]; signing_key: string };
      const uuid = `sub-${++n}-${Math.random().toString(36).slice(2)}`;
      const sub: FakeSubscription = {
        uri: `${BASE}/webhook_subscriptions/${uuid}`,
        callback_url: body.url,
        state: "active",
        events: body.events,
        signing_key: body.signing_key,
      };
      store.set(uuid, sub);
      const { signing_key: _hidden, ...resource } = sub;
      return calendlyJson({ resource }, { status: 201 });
    }),
    http.get(`${BASE}/webhook_subscriptions/:uuid`, ({ params }) => {
      const sub = store.get(String(params.uuid));
      if (!sub) return calendlyJson({ title: "Resource Not Found" }, { status: 404 });
      const { signing_key: _hidden, ...resource } = sub;
      return calendlyJson({ resource });
    }),
    http.delete(`${BASE}/webhook_subscriptions/:uuid`, ({ params }) => {
      store.delete(String(params.uuid));
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { store, handlers };
}

export type StubOptions = {
  /** Sees every token request first; may hold it (a slow Calendly) before the stub decides. */
  onToken?: (form: URLSearchParams) => void | Response | Promise<void | Response>;
  /** Sees every introspection request first; may hold it. */
  onIntrospect?: (form: URLSearchParams) => void | Promise<void>;
};

/**
 * Calendly's OAuth as strict as Calendly: HTTP Basic client auth (else `401 invalid_client`), an
 * auth code is the user's token with "code-" in front, and refresh tokens rotate: each successful
 * refresh spends the one presented at once, and a spent or unknown one gets `400 invalid_grant`.
 * A code exchange issues access `<user.token>` and refresh `refresh-<user.token>`; the n-th refresh
 * issues `<user.token>-<n>` and `refresh-<user.token>-<n>`. Introspection knows every live token.
 */
export function calendlyStub(users: FakeUser[], options: StubOptions = {}) {
  const liveRefresh = new Map<string, FakeUser>();
  const liveAccess = new Map<string, FakeUser>(users.map((u) => [u.token, u]));
  const tokenRequests: URLSearchParams[] = [];
  let refreshes = 0;
  const grants = new Map<FakeUser, number>();
  const clientAuth = `Basic ${btoa(`${env.CALENDLY_CLIENT_ID}:${env.CALENDLY_CLIENT_SECRET}`)}`;
  const byToken = (req: { headers: Headers }) => {
    const bearer = req.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return liveAccess.get(bearer);
  };
  const issue = (user: FakeUser, suffix: string) => {
    const access = `${user.token}${suffix}`;
    const refresh = `refresh-${user.token}${suffix}`;
    liveAccess.set(access, user);
    liveRefresh.set(refresh, user);
    return calendlyJson({
      token_type: "Bearer",
      access_token: access,
      refresh_token: refresh,
      expires_in: 7200,
      created_at: Math.floor(Date.now() / 1000),
      scope: CALENDLY_SCOPES,
      owner: user.uri,
      organization: `${BASE}/organizations/org`,
    });
  };

  const handlers = [
    http.post(`${BASE}/oauth/token`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      tokenRequests.push(form);
      const override = await options.onToken?.(form);
      if (override) return override;
      if (request.headers.get("authorization") !== clientAuth) {
        return calendlyJson({ error: "invalid_client" }, { status: 401 });
      }
      if (form.get("grant_type") === "refresh_token") {
        const presented = form.get("refresh_token") ?? "";
        const user = liveRefresh.get(presented);
        // Checked and spent in one step, when Calendly answers: a second use always fails.
        if (!user) return calendlyJson({ error: "invalid_grant" }, { status: 400 });
        liveRefresh.delete(presented);
        return issue(user, `-${++refreshes}`);
      }
      const user = users.find((u) => form.get("code") === `code-${u.token}`);
      if (!user) return calendlyJson({ error: "invalid_grant" }, { status: 400 });
      // Every authorization is a new grant with its own pair (the first keeps the plain names).
      const n = (grants.get(user) ?? 0) + 1;
      grants.set(user, n);
      return issue(user, n === 1 ? "" : `-c${n}`);
    }),
    http.post(`${BASE}/oauth/introspect`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      await options.onIntrospect?.(form);
      const client = form.get("client_id") === env.CALENDLY_CLIENT_ID;
      if (!client || form.get("client_secret") !== env.CALENDLY_CLIENT_SECRET) {
        return calendlyJson({ error: "invalid_client" }, { status: 401 });
      }
      const user =
        liveAccess.get(form.get("token") ?? "") ?? liveRefresh.get(form.get("token") ?? "");
      return calendlyJson(user ? { active: true, owner: user.uri } : { active: false });
    }),
    http.get(`${BASE}/users/me`, ({ request }) => {
      const user = byToken(request);
      if (!user) return calendlyJson({ title: "Unauthenticated" }, { status: 401 });
      return calendlyJson({
        resource: {
          uri: user.uri,
          name: user.name,
          slug: slug(user.name),
          email: user.email,
          timezone: "America/New_York",
          scheduling_url: `https://calendly.example/${slug(user.name)}`,
          current_organization: `${BASE}/organizations/org`,
        },
      });
    }),
    http.get(`${BASE}/event_types`, ({ request }) => {
      const user = byToken(request);
      const url = new URL(request.url);
      if (!user || url.searchParams.get("user") !== user.uri) {
        return calendlyJson({ title: "Permission Denied" }, { status: 403 });
      }
      // One item per page, to exercise the client's pagination.
      const index = Number(url.searchParams.get("page_token") ?? "0");
      const name = user.eventTypes[index];
      const next = index + 1 < user.eventTypes.length ? String(index + 1) : null;
      return calendlyJson({
        collection: name
          ? [
              {
                uri: `${user.uri}/event_types/${slug(name)}`,
                name,
                active: true,
                slug: slug(name),
                scheduling_url: `https://calendly.example/${slug(name)}`,
                duration: 30,
                kind: "solo",
                secret: false,
                position: index,
                unknown_future_field: { tolerated: true },
              },
            ]
          : [],
        pagination: {
          count: 1,
          next_page: next ? `${BASE}/event_types?page_token=${next}` : null,
          previous_page: null,
          next_page_token: next,
          previous_page_token: null,
        },
      });
    }),
  ];
  return {
    handlers,
    tokenRequests,
    /** Refresh tokens presented so far, in order. */
    presentedRefreshTokens: () =>
      tokenRequests.flatMap((f) =>
        f.get("grant_type") === "refresh_token" ? [f.get("refresh_token") ?? ""] : [],
      ),
    /** Calendly stops accepting an access token (revoked, or expired early). */
    killAccess: (token: string) => liveAccess.delete(token),
    /** Calendly forgets a refresh token (grant revoked). */
    killRefresh: (token: string) => liveRefresh.delete(token),
  };
}

/** The stub's handlers (see `calendlyStub`). */
export function fakeCalendly(users: FakeUser[], onToken?: StubOptions["onToken"]) {
  return calendlyStub(users, { onToken }).handlers;
}

export type FakeEvent = {
  uuid: string;
  start: string;
  status: "active" | "canceled";
  /** Calendly's created_at of the event (when the client booked); absent unless a test sets it. */
  createdAt?: string;
  invitees: {
    uuid: string;
    email: string;
    status: "active" | "canceled";
    updatedAt: string;
    noShow?: string;
    /** Reschedule links (full invitee URIs), as Calendly sets them on both halves. */
    oldInvitee?: string;
    newInvitee?: string;
  }[];
};

/** GET /scheduled_events (paged by `count`/`page_token`) and GET …/invitees over `events`. */
export function fakeScheduledEvents(user: FakeUser, events: FakeEvent[]) {
  const eventResource = (e: FakeEvent) => ({
    uri: `${BASE}/scheduled_events/${e.uuid}`,
    name: "Coaching Session",
    status: e.status,
    start_time: e.start,
    end_time: e.start,
    event_type: `${BASE}/event_types/coaching`,
    location: { type: "zoom_conference", join_url: null, status: "processing" },
    ...(e.createdAt ? { created_at: e.createdAt } : {}),
  });
  return [
    http.get(`${BASE}/scheduled_events`, ({ request }) => {
      const url = new URL(request.url);
      if (request.headers.get("authorization") !== `Bearer ${user.token}`) {
        return calendlyJson({ title: "Unauthenticated" }, { status: 401 });
      }
      const count = Number(url.searchParams.get("count") ?? 20);
      const from = Number(url.searchParams.get("page_token") ?? 0);
      const min = url.searchParams.get("min_start_time") ?? "";
      const max = url.searchParams.get("max_start_time") ?? "9";
      const inWindow = events.filter((e) => e.start >= min && e.start < max);
      const next = from + count < inWindow.length ? String(from + count) : null;
      return calendlyJson({
        collection: inWindow.slice(from, from + count).map(eventResource),
        pagination: {
          count,
          next_page: null,
          previous_page: null,
          next_page_token: next,
          previous_page_token: null,
        },
      });
    }),
    http.get(`${BASE}/scheduled_events/:uuid/invitees`, ({ params }) => {
      const e = events.find((x) => x.uuid === params.uuid);
      return calendlyJson({
        collection: (e?.invitees ?? []).map((i) => ({
          uri: `${BASE}/scheduled_events/${e?.uuid}/invitees/${i.uuid}`,
          email: i.email,
          name: i.email.split("@")[0],
          status: i.status,
          updated_at: i.updatedAt,
          rescheduled: Boolean(i.newInvitee),
          old_invitee: i.oldInvitee ?? null,
          new_invitee: i.newInvitee ?? null,
          no_show: i.noShow ? { uri: i.noShow, created_at: i.updatedAt } : null,
        })),
        pagination: {
          count: 100,
          next_page: null,
          previous_page: null,
          next_page_token: null,
          previous_page_token: null,
        },
      });
    }),
  ];
}
