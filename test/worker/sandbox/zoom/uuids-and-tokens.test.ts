/** The fake Zoom decodes instance UUIDs as Zoom does, and rotates refresh tokens atomically. */
import { describe, expect, it } from "vitest";
import {
  api,
  authCode,
  control,
  createMeeting,
  deliveriesSince,
  REDIRECT,
  tokenCall,
  tokensFor,
  verifier,
} from "./harness";

describe("fake Zoom instance UUIDs", () => {
  it("a UUID starting with / must be encoded twice; once or three times finds nothing", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/next-uuid", { uuid: "/ajXp112QmuoKj4854875==" });
    const { meeting } = await createMeeting(t.access_token);
    expect(meeting.uuid).toBe("/ajXp112QmuoKj4854875==");
    await control("/control/simulate", { meetingId: String(meeting.id), scenario: "attended" });
    const enc = encodeURIComponent;
    const past = (segment: string) => api(t.access_token, `/past_meetings/${segment}`);
    const twice = await past(enc(enc(meeting.uuid)));
    expect(twice.status).toBe(200);
    expect(await twice.json()).toMatchObject({ uuid: "/ajXp112QmuoKj4854875==" });
    for (const segment of [enc(meeting.uuid), enc(enc(enc(meeting.uuid)))]) {
      const res = await past(segment);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 3001 });
    }
    const single = await api(t.access_token, `/past_meetings/${enc(meeting.uuid)}/participants`);
    expect(single.status).toBe(404);
  });

  it("a UUID containing // must be encoded twice too; an ordinary one works encoded once", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/next-uuid", { uuid: "ab//cd+ef==" });
    const { meeting } = await createMeeting(t.access_token);
    await control("/control/simulate", { meetingId: String(meeting.id), scenario: "attended" });
    const enc = encodeURIComponent;
    expect((await api(t.access_token, `/past_meetings/${enc(meeting.uuid)}`)).status).toBe(404);
    expect((await api(t.access_token, `/past_meetings/${enc(enc(meeting.uuid))}`)).status).toBe(
      200,
    );

    await control("/control/next-uuid", { uuid: "abc+def/gh==" });
    const plain = (await createMeeting(t.access_token)).meeting;
    await control("/control/simulate", { meetingId: String(plain.id), scenario: "attended" });
    const once = await api(t.access_token, `/past_meetings/${enc("abc+def/gh==")}`);
    expect(await once.json()).toMatchObject({ uuid: "abc+def/gh==" });
  });

  it("each new instance gets a new UUID; a numeric id answers the latest instance", async () => {
    const t = await tokensFor("dana@coach.test");
    const { meeting } = await createMeeting(t.access_token);
    const first = await control("/control/simulate", {
      meetingId: String(meeting.id),
      scenario: "attended",
    });
    await control("/control/next-uuid", { uuid: "second+instance==" });
    const second = await control("/control/simulate", {
      meetingId: String(meeting.id),
      scenario: "client_no_show",
    });
    expect(first.body.uuid).toBe(meeting.uuid);
    expect(second.body.uuid).toBe("second+instance==");
    const latest = await api(t.access_token, `/past_meetings/${meeting.id}`);
    expect(await latest.json()).toMatchObject({ uuid: "second+instance==" });
    const older = await api(
      t.access_token,
      `/past_meetings/${encodeURIComponent(encodeURIComponent(first.body.uuid))}`,
    );
    expect(await older.json()).toMatchObject({ uuid: first.body.uuid });
    const state = await control("/control/state");
    const m = state.body.meetings.find((x: { id: string }) => x.id === String(meeting.id));
    expect(m.instances.map((i: { uuid: string }) => i.uuid)).toEqual([
      first.body.uuid,
      "second+instance==",
    ]);
  });
});

describe("fake Zoom refresh rotation and token switches", () => {
  it("six parallel refreshes with one token: exactly one succeeds", async () => {
    const t = await tokensFor("dana@coach.test");
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        tokenCall({ grant_type: "refresh_token", refresh_token: t.refresh_token }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
  });

  it("expire the access token, revoke the grant, deauthorize with app_deauthorized", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/tokens", { email: "dana@coach.test", action: "expire_access" });
    const expired = await api(t.access_token, "/users/me");
    expect(await expired.json()).toEqual({ code: 124, message: "Access token is expired." });
    const fresh = (await (
      await tokenCall({ grant_type: "refresh_token", refresh_token: t.refresh_token })
    ).json()) as {
      refresh_token: string;
    };
    await control("/control/tokens", { email: "dana@coach.test", action: "revoke_grant" });
    const dead = await tokenCall({
      grant_type: "refresh_token",
      refresh_token: fresh.refresh_token,
    });
    expect(await dead.json()).toEqual({ reason: "Invalid Token!", error: "invalid_grant" });

    const again = await tokensFor("dana@coach.test");
    const since = Date.now();
    await control("/control/tokens", { email: "dana@coach.test", action: "deauthorize" });
    expect((await api(again.access_token, "/users/me")).status).toBe(401);
    const sent = await deliveriesSince(since);
    expect(sent.map((d) => d.event)).toEqual(["app_deauthorized"]);
    expect(sent[0]?.body.payload).toMatchObject({
      account_id: "za_dana",
      user_id: "zu_dana_reyes",
      user_data_retention: "false",
    });
  });

  it("a PKCE mismatch is invalid_grant", async () => {
    const res = await tokenCall({
      grant_type: "authorization_code",
      code: await authCode("dana@coach.test"),
      redirect_uri: REDIRECT,
      code_verifier: `${verifier.slice(0, -1)}x`,
    });
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  });
});
