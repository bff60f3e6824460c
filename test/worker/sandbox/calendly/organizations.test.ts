/**
 * Organizations in the fake Calendly: Dana owns "Reyes Coaching" (admin Ari, members Noor and Jo);
 * `organization=` queries need an admin or owner; the team has a group type with several invitees
 * per event and round-robin and collective types.
 */
import { describe, expect, it } from "vitest";
import { CALENDLY_SCOPES } from "../../../../worker/calendly/oauth";
import { call, tokensFor } from "../../helpers/sandbox-calendly";

const SCOPES = `${CALENDLY_SCOPES} organizations:read`;
type Events = {
  collection: {
    uri: string;
    event_memberships: { user_email: string }[];
    invitees_counter: { total: number; active: number; limit: number };
  }[];
};
const get = async <T>(token: string, path: string) => {
  const res = await call(token, path);
  return { status: res.status, body: (await res.json()) as T };
};
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe("organizations", () => {
  it("an owner lists the whole organization's events, members' group events included", async () => {
    const dana = await tokensFor("dana@coach.test", SCOPES);
    const org = await get<Events>(
      dana.access_token,
      `/scheduled_events?${q({ organization: dana.organization, count: "100" })}`,
    );
    expect(org.status).toBe(200);
    const hosts = new Set(
      org.body.collection.flatMap((e) => e.event_memberships.map((m) => m.user_email)),
    );
    expect(hosts).toEqual(new Set(["dana@coach.test", "noor@coach.test"]));
    const circle = org.body.collection.find((e) => e.uri.endsWith("/noor-haddad-circle-past"));
    expect(circle?.invitees_counter).toEqual({ total: 4, active: 3, limit: 6 });

    // user= is still the user's own events only.
    const own = await get<Events>(
      dana.access_token,
      `/scheduled_events?${q({ user: dana.owner, count: "100" })}`,
    );
    expect(
      own.body.collection.every((e) => e.event_memberships[0]?.user_email === "dana@coach.test"),
    ).toBe(true);
  });

  it("a member gets 403 for organization= queries but sees their own membership", async () => {
    const noor = await tokensFor("noor@coach.test", SCOPES);
    for (const path of [
      `/scheduled_events?${q({ organization: noor.organization })}`,
      `/event_types?${q({ organization: noor.organization })}`,
      `/organization_memberships?${q({ organization: noor.organization })}`,
    ]) {
      const res = await get<{ title: string }>(noor.access_token, path);
      expect(res.status, path).toBe(403);
      expect(res.body.title).toBe("Permission Denied");
    }
    const mine = await get<{ collection: { role: string }[] }>(
      noor.access_token,
      `/organization_memberships?${q({ user: noor.owner })}`,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.collection.map((m) => m.role)).toEqual(["user"]);
    const events = await get<Events>(
      noor.access_token,
      `/scheduled_events?${q({ user: noor.owner })}`,
    );
    expect(events.body.collection.map((e) => e.invitees_counter.active).sort()).toEqual([3, 3]);
  });

  it("an admin lists the members: one owner, one admin, two members; another organization is 403", async () => {
    const ari = await tokensFor("ari@coach.test", SCOPES);
    const members = await get<{ collection: { role: string; user: { email: string } }[] }>(
      ari.access_token,
      `/organization_memberships?${q({ organization: ari.organization })}`,
    );
    expect(members.status).toBe(200);
    expect(members.body.collection.map((m) => m.role).sort()).toEqual([
      "admin",
      "owner",
      "user",
      "user",
    ]);
    const lee = await tokensFor("lee@coach.test", SCOPES);
    expect(
      (await call(lee.access_token, `/scheduled_events?${q({ organization: ari.organization })}`))
        .status,
    ).toBe(403);
    // Alone in his organization, Lee owns it.
    expect(
      (await call(lee.access_token, `/scheduled_events?${q({ organization: lee.organization })}`))
        .status,
    ).toBe(200);
  });

  it("the team's event types: group, round robin and collective", async () => {
    const dana = await tokensFor("dana@coach.test", SCOPES);
    const types = await get<{
      collection: {
        slug: string;
        kind: string;
        pooling_type: string | null;
        profile: { type: string };
      }[];
    }>(dana.access_token, `/event_types?${q({ organization: dana.organization, count: "100" })}`);
    expect(types.status).toBe(200);
    const by = new Map(types.body.collection.map((t) => [t.slug, t]));
    expect(by.get("group-circle")).toMatchObject({ kind: "group", pooling_type: null });
    expect(by.get("team-intro")).toMatchObject({
      pooling_type: "round_robin",
      profile: { type: "Team" },
    });
    expect(by.get("panel-review")).toMatchObject({
      pooling_type: "collective",
      profile: { type: "Team" },
    });
    // Dana's own list is unchanged: no team types in it.
    const own = await get<{ collection: { slug: string }[] }>(
      dana.access_token,
      `/event_types?${q({ user: dana.owner })}`,
    );
    expect(own.body.collection.map((t) => t.slug).sort()).toEqual([
      "coaching-session",
      "group-workshop",
      "intro-call",
    ]);
  });
});
