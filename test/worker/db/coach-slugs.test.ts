/**
 * Public slugs are unique: two coaches with the same Calendly slug (a stale or reused one) no
 * longer make /book/<slug> serve whichever row comes first. The newer sign-in gets "<slug>-2" and
 * is told why; a coach keeps their slug across sign-ins while Calendly's stays the same.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CalendlyUser } from "../../../worker/calendly/schemas";
import { createDb } from "../../../worker/db/client";
import { slugNotice, upsertCoachFromCalendly } from "../../../worker/db/coaches";
import { publicCoach } from "../../../worker/public-booking/profile";

const user = (id: string, slug: string): CalendlyUser => ({
  uri: `https://api.calendly.test/users/${id}`,
  name: id,
  slug,
  email: `${id}@coach.test`,
  timezone: "UTC",
  scheduling_url: `https://calendly.test/${slug}`,
  current_organization: null,
});

describe("public slugs", () => {
  it("gives a newer coach with a taken slug a suffixed one, and says so", async () => {
    const db = createDb(env.DB);
    const first = await upsertCoachFromCalendly(db, user("u-first", "sam"));
    const second = await upsertCoachFromCalendly(db, user("u-second", "sam"));
    const third = await upsertCoachFromCalendly(db, user("u-third", "sam"));
    expect([first.slug, second.slug, third.slug]).toEqual(["sam", "sam-2", "sam-3"]);
    expect(slugNotice(first)).toBeNull();
    expect(slugNotice(second)).toContain("/book/sam-2");

    // Signing in again changes nobody's page.
    expect((await upsertCoachFromCalendly(db, user("u-second", "sam"))).slug).toBe("sam-2");
    expect((await upsertCoachFromCalendly(db, user("u-first", "sam"))).slug).toBe("sam");

    // /book/sam is the first coach's, /book/sam-2 the second's.
    expect((await publicCoach(env, db, "sam"))?.id).toBe(first.id);
    expect((await publicCoach(env, db, "sam-2"))?.id).toBe(second.id);
  });

  it("refuses a second row with the same slug at the database", async () => {
    const db = createDb(env.DB);
    await upsertCoachFromCalendly(db, user("u-db", "kim"));
    await expect(
      env.DB.prepare(
        "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values ('coa_dup', 'https://api.calendly.test/users/dup', 'D', 'd@coach.test', 'UTC', 'kim')",
      ).run(),
    ).rejects.toThrow(/UNIQUE/);
  });

  it("follows a changed Calendly slug, and frees the old one", async () => {
    const db = createDb(env.DB);
    const a = await upsertCoachFromCalendly(db, user("u-move", "lee"));
    expect(a.slug).toBe("lee");
    expect((await upsertCoachFromCalendly(db, user("u-move", "lee-coaching"))).slug).toBe(
      "lee-coaching",
    );
    expect((await upsertCoachFromCalendly(db, user("u-new-lee", "lee"))).slug).toBe("lee");
  });

  it("two first sign-ins racing for one slug both succeed, with different slugs", async () => {
    const db = createDb(env.DB);
    const [x, y] = await Promise.all([
      upsertCoachFromCalendly(db, user("u-race-1", "alex")),
      upsertCoachFromCalendly(db, user("u-race-2", "alex")),
    ]);
    expect(new Set([x.slug, y.slug])).toEqual(new Set(["alex", "alex-2"]));
  });
});
