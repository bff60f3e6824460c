import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKairos, install, type KairosApi } from "../../web/embed/loader";

const KAIROS = "https://kairos.example";
const CALENDLY = "https://calendly.com/dana/intro";

/** happy-dom does not load iframe pages: give every iframe a stable fake window to post to. */
const frames = new WeakMap<HTMLIFrameElement, { postMessage: ReturnType<typeof vi.fn> }>();
const fakeWindow = (f: HTMLIFrameElement) => {
  if (!frames.has(f)) frames.set(f, { postMessage: vi.fn() });
  return frames.get(f) as { postMessage: ReturnType<typeof vi.fn> };
};

const iframe = (root: Document | Element = document) =>
  root.querySelector("iframe") as HTMLIFrameElement;
const params = (f: HTMLIFrameElement) => new URL(f.src).searchParams;

/** A message event as the browser would deliver it. */
const post = (data: unknown, origin = KAIROS, source: unknown = fakeWindow(iframe())) =>
  window.dispatchEvent(
    new MessageEvent("message", { data, origin, source: source as MessageEventSource }),
  );
const page = (type: string, payload?: unknown, id = params(iframe()).get("embed_id")) =>
  post({ kairos: 1, id, type, payload });

let kairos: KairosApi;
let target: HTMLElement;
const teardowns: (() => void)[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  // happy-dom logs that it does not load iframe pages or scripts; the tests stand in for both.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(HTMLIFrameElement.prototype, "contentWindow", "get").mockImplementation(function (
    this: HTMLIFrameElement,
  ) {
    return fakeWindow(this) as unknown as Window;
  });
  window.history.replaceState(null, "", "/coaching?utm_source=newsletter&utm_campaign=spring&x=1");
  document.body.innerHTML = '<div id="booking"></div>';
  target = document.getElementById("booking") as HTMLElement;
  kairos = createKairos(KAIROS, window as Window & typeof globalThis);
});

afterEach(() => {
  for (const t of teardowns.splice(0)) t();
  document.body.innerHTML = "";
  for (const el of document.head.querySelectorAll("script,link")) el.remove();
  vi.useRealTimers();
  Reflect.deleteProperty(window, "Calendly");
  Reflect.deleteProperty(window, "Kairos");
});

const inline = (o: Partial<Parameters<KairosApi["inline"]>[0]> = {}) => {
  const stop = kairos.inline({ coach: "dana-reyes", eventType: "intro-call", target, ...o });
  teardowns.push(stop);
  return stop;
};

describe("inline widget", () => {
  it("loads the booking page with the embed parameters, theme, UTM tags and referrer", () => {
    inline({ theme: "dark", target: "#booking" });
    const f = iframe(target);
    const url = new URL(f.src);
    expect(url.origin + url.pathname).toBe(`${KAIROS}/book/dana-reyes/intro-call`);
    expect(url.searchParams.get("embed_origin")).toBe(window.location.origin);
    expect(url.searchParams.get("embed_id")).toMatch(/^k\w+$/);
    expect(url.searchParams.get("theme")).toBe("dark");
    expect(url.searchParams.get("utm_source")).toBe("newsletter");
    expect(url.searchParams.get("utm_campaign")).toBe("spring");
    expect(url.searchParams.has("utm_medium")).toBe(false);
    expect(url.searchParams.has("x")).toBe(false);
    expect(url.searchParams.get("referrer")).toBe(window.location.href);
    expect(f.title).toBe("Book with dana-reyes");
    expect(f.loading).toBe("eager");
    expect(f.style.width).toBe("100%");
    expect(f.style.minHeight).toBe("600px");
  });

  it("omits the event type segment and encodes the coach slug", () => {
    inline({ coach: "dana reyes/x", eventType: undefined });
    expect(new URL(iframe().src).pathname).toBe("/book/dana%20reyes%2Fx");
  });

  it("gives each widget its own id", () => {
    inline();
    const other = document.body.appendChild(document.createElement("div"));
    inline({ target: other });
    expect(params(iframe(target)).get("embed_id")).not.toBe(params(iframe(other)).get("embed_id"));
  });

  it("ignores messages from a foreign origin, a foreign window or another widget", () => {
    const booked = vi.fn();
    const domBooked = vi.fn();
    kairos.on("booked", booked);
    document.addEventListener("kairos:booked", domBooked);
    inline();
    const id = params(iframe()).get("embed_id");
    const payload = { bookingId: "b1" };

    post({ kairos: 1, id, type: "booked", payload }, "https://evil.example");
    post({ kairos: 1, id, type: "booked", payload }, KAIROS, window);
    post({ kairos: 1, id, type: "booked", payload }, KAIROS, null);
    post({ kairos: 1, id: "k-other", type: "booked", payload });
    post({ kairos: 2, id, type: "booked", payload });
    post({ id, type: "booked", payload });
    post("booked");
    post(null);
    page("not-an-event", payload);
    expect(booked).not.toHaveBeenCalled();
    expect(domBooked).not.toHaveBeenCalled();

    page("booked", payload);
    expect(booked).toHaveBeenCalledExactlyOnceWith(payload);
    expect(domBooked).toHaveBeenCalledOnce();
    const event = domBooked.mock.calls[0]?.[0] as CustomEvent;
    expect(event.detail).toEqual(payload);
    expect(event.target).toBe(target);
    document.removeEventListener("kairos:booked", domBooked);
  });

  it("passes every lifecycle event through, and `on` returns an unsubscribe", () => {
    const seen: string[] = [];
    const names = [
      "ready",
      "viewed",
      "dateSelected",
      "timeSelected",
      "booked",
      "rescheduled",
      "canceled",
      "error",
    ] as const;
    const offs = names.map((n) => kairos.on(n, (p) => seen.push(`${n}:${JSON.stringify(p)}`)));
    inline();
    for (const n of names) page(n, { n });
    expect(seen).toEqual(names.map((n) => `${n}:{"n":"${n}"}`));
    for (const off of offs) off();
    page("booked", {});
    expect(seen).toHaveLength(names.length);
  });

  it("sends the prefill on ready, only to the Kairos origin", () => {
    inline({ prefill: { name: "Ada", email: "ada@example.com" } });
    const f = iframe();
    const win = fakeWindow(f);
    expect(win.postMessage).not.toHaveBeenCalled();
    page("ready");
    expect(win.postMessage).toHaveBeenCalledExactlyOnceWith(
      {
        kairos: 1,
        id: params(f).get("embed_id"),
        type: "prefill",
        payload: { name: "Ada", email: "ada@example.com" },
      },
      KAIROS,
    );
  });

  it("does not post anything without a prefill", () => {
    inline();
    page("ready");
    expect(fakeWindow(iframe()).postMessage).not.toHaveBeenCalled();
  });

  it("resizes the iframe to the reported height", () => {
    inline();
    page("resize", { height: 742 });
    expect(iframe().style.height).toBe("742px");
    expect(iframe().style.minHeight).toBe("0");
    page("resize", { height: "nope" });
    expect(iframe().style.height).toBe("742px");
  });

  it("stops waiting once ready arrives", () => {
    const errors = vi.fn();
    kairos.on("error", errors);
    inline({ timeout: 100 });
    page("ready");
    vi.advanceTimersByTime(60_000);
    expect(errors).not.toHaveBeenCalled();
    expect(target.querySelectorAll("iframe")).toHaveLength(1);
  });
});

describe("failure handling", () => {
  it("retries the booking page, then Calendly's script, then falls back to a link", () => {
    const errors: unknown[] = [];
    kairos.on("error", (p) => errors.push(p));
    inline({ timeout: 100, calendlyUrl: CALENDLY, calendlyScript: `${KAIROS}/calendly-stub.js` });
    const first = params(iframe()).get("embed_id");

    vi.advanceTimersByTime(100);
    expect(errors).toEqual([{ stage: "booking_page", attempt: 1, reason: "timeout" }]);
    expect(iframe(target)).toBeNull();
    vi.advanceTimersByTime(999);
    expect(iframe(target)).toBeNull();
    vi.advanceTimersByTime(1);
    expect(params(iframe(target)).get("embed_id")).toBe(first);

    // The second attempt's iframe reports a load error (no wait for the timeout).
    iframe(target).dispatchEvent(new Event("error"));
    expect(errors).toHaveLength(2);
    expect(errors[1]).toEqual({ stage: "booking_page", attempt: 2, reason: "error" });
    vi.advanceTimersByTime(1999);
    expect(iframe(target)).toBeNull();
    vi.advanceTimersByTime(1);
    expect(iframe(target)).not.toBeNull();

    // A script that never loads: timeout, one retry whose script element fires `error`.
    const injected: HTMLScriptElement[] = [];
    const appendChild = document.head.appendChild.bind(document.head);
    vi.spyOn(document.head, "appendChild").mockImplementation((n) => {
      if (!(n instanceof HTMLScriptElement)) return appendChild(n);
      injected.push(n); // kept detached so happy-dom does not settle it on its own
      return n;
    });
    vi.advanceTimersByTime(100);
    expect(errors[2]).toEqual({ stage: "booking_page", attempt: 3, reason: "timeout" });
    expect(injected).toHaveLength(1);
    expect(injected[0]?.src).toBe(`${KAIROS}/calendly-stub.js`);
    vi.advanceTimersByTime(100);
    expect(errors[3]).toEqual({ stage: "calendly", attempt: 1, reason: "timeout" });
    expect(injected).toHaveLength(2);
    injected[1]?.dispatchEvent(new Event("error"));
    expect(errors[4]).toEqual({ stage: "calendly", attempt: 2, reason: "error" });

    expect(errors[5]).toEqual({ stage: "link", attempt: undefined, reason: "fallback" });
    expect(errors).toHaveLength(6);
    const link = target.querySelector("a") as HTMLAnchorElement;
    expect(link.href).toBe(CALENDLY);
    expect(link.textContent).toBe("Book with dana-reyes");
    expect(iframe(target)).toBeNull();

    // Late events from abandoned attempts change nothing.
    injected[0]?.dispatchEvent(new Event("load"));
    vi.advanceTimersByTime(60_000);
    expect(errors).toHaveLength(6);
  });

  it("links to the plain booking page when no Calendly URL is known", () => {
    const stages: string[] = [];
    kairos.on("error", (p) => stages.push((p as { stage: string }).stage));
    inline({ timeout: 10 });
    vi.advanceTimersByTime(10 + 1000 + 10 + 2000 + 10);
    expect(stages).toEqual(["booking_page", "booking_page", "booking_page", "link"]);
    const link = new URL((target.querySelector("a") as HTMLAnchorElement).href);
    expect(link.origin + link.pathname).toBe(`${KAIROS}/book/dana-reyes/intro-call`);
    expect(link.searchParams.has("embed_id")).toBe(false);
    expect(link.searchParams.get("utm_source")).toBe("newsletter");
  });

  it("mounts Calendly's widget and maps its events (from Calendly's origin only)", () => {
    const initInlineWidget = vi.fn();
    Object.assign(window, { Calendly: { initInlineWidget } });
    const booked = vi.fn();
    const timeSelected = vi.fn();
    kairos.on("booked", booked);
    kairos.on("timeSelected", timeSelected);
    inline({ timeout: 10, calendlyUrl: CALENDLY });
    vi.advanceTimersByTime(10 + 1000 + 10 + 2000 + 10);
    expect(initInlineWidget).toHaveBeenCalledExactlyOnceWith({
      url: CALENDLY,
      parentElement: target,
    });

    const scheduled = {
      event: "calendly.event_scheduled",
      payload: {
        event: { uri: "https://api.calendly.com/scheduled_events/E1" },
        invitee: { uri: "https://api.calendly.com/scheduled_events/E1/invitees/I1" },
      },
    };
    post(scheduled, "https://evil.example", null);
    post({ ...scheduled, event: "other.event_scheduled" }, "https://calendly.com", null);
    expect(booked).not.toHaveBeenCalled();

    post({ event: "calendly.date_and_time_selected", payload: {} }, "https://calendly.com", null);
    expect(timeSelected).toHaveBeenCalledOnce();
    post(scheduled, "https://calendly.com", null);
    post(scheduled, "https://calendly.com", null);
    expect(booked).toHaveBeenCalledExactlyOnceWith({
      source: "calendly",
      event: "https://api.calendly.com/scheduled_events/E1",
      invitee: "https://api.calendly.com/scheduled_events/E1/invitees/I1",
    });
  });

  it("uses Calendly once its script has loaded", () => {
    const initInlineWidget = vi.fn();
    inline({ timeout: 10, calendlyUrl: CALENDLY, calendlyScript: `${KAIROS}/calendly-stub.js` });
    const appendChild = document.head.appendChild.bind(document.head);
    let script: HTMLScriptElement | undefined;
    vi.spyOn(document.head, "appendChild").mockImplementation((n) => {
      if (!(n instanceof HTMLScriptElement)) return appendChild(n);
      script = n;
      return n;
    });
    vi.advanceTimersByTime(10 + 1000 + 10 + 2000 + 10);
    expect(script?.src).toBe(`${KAIROS}/calendly-stub.js`);
    Object.assign(window, { Calendly: { initInlineWidget } });
    script?.dispatchEvent(new Event("load"));
    expect(initInlineWidget).toHaveBeenCalledExactlyOnceWith({
      url: CALENDLY,
      parentElement: target,
    });
    vi.advanceTimersByTime(60_000);
    expect(target.querySelector("a")).toBeNull();
  });
});

describe("popup and button", () => {
  it("opens a modal with the booking page; Escape closes it and stops listening", () => {
    const booked = vi.fn();
    kairos.on("booked", booked);
    const close = kairos.popup({ coach: "dana-reyes", timeout: 100 });
    teardowns.push(close);
    const dialog = document.querySelector('[role="dialog"]') as HTMLElement;
    expect(dialog.getAttribute("aria-label")).toBe("Book with dana-reyes");
    const f = iframe(dialog);
    expect(new URL(f.src).pathname).toBe("/book/dana-reyes");
    page("booked", { ok: 1 });
    expect(booked).toHaveBeenCalledOnce();

    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    post({ kairos: 1, id: params(f).get("embed_id"), type: "booked" }, KAIROS, fakeWindow(f));
    expect(booked).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(60_000); // no retries after close
    expect(iframe()).toBeNull();
  });

  it("closes from the close button", () => {
    kairos.popup({ coach: "dana-reyes" });
    const close = document.querySelector('[aria-label="Close"]') as HTMLButtonElement;
    close.click();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
  });

  it("adds a floating button that preloads on hover and opens the popup", () => {
    vi.stubGlobal("requestIdleCallback", undefined);
    const b = kairos.button({ coach: "dana-reyes", eventType: "intro-call", text: "Book now" });
    expect(b.textContent).toBe("Book now");
    expect(document.querySelector("link[rel=preconnect]")).toBeNull();
    b.dispatchEvent(new Event("pointerenter"));
    expect(document.querySelector("link[rel=preconnect]")?.getAttribute("href")).toBe(KAIROS);
    const prefetch = document.querySelector("link[rel=prefetch]")?.getAttribute("href") as string;
    expect(new URL(prefetch).pathname).toBe("/book/dana-reyes/intro-call");
    b.dispatchEvent(new Event("focus"));
    vi.advanceTimersByTime(5000);
    expect(document.querySelectorAll("link")).toHaveLength(2);

    (b as HTMLButtonElement).click();
    const f = iframe(document.querySelector('[role="dialog"]') as HTMLElement);
    expect(f.src).toBe(prefetch); // the prefetched page is the one the popup loads
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
  });

  it("preloads when the browser is idle", () => {
    const idle = vi.fn();
    vi.stubGlobal("requestIdleCallback", idle);
    kairos.button({ coach: "dana-reyes" });
    expect(idle).toHaveBeenCalledOnce();
    idle.mock.calls[0]?.[0]();
    expect(document.querySelector("link[rel=preconnect]")).not.toBeNull();
  });
});

describe("script tag install", () => {
  const script = (data: Record<string, string>) => {
    const s = document.createElement("script");
    s.src = `${KAIROS}/embed.js`;
    Object.assign(s.dataset, data);
    document.body.appendChild(s);
    return s;
  };

  it("replays queued commands and mounts an inline widget before the script tag", () => {
    const booked = vi.fn();
    Object.assign(window, { Kairos: { q: [["on", "booked", booked]] } });
    const s = script({
      coach: "dana-reyes",
      eventType: "intro-call",
      theme: "dark",
      timeout: "50",
    });
    const api = install(window as never, s);
    expect((window as unknown as { Kairos: unknown }).Kairos).toBe(api);
    const box = s.previousElementSibling as HTMLElement;
    const f = iframe(box);
    const url = new URL(f.src);
    expect(url.origin + url.pathname).toBe(`${KAIROS}/book/dana-reyes/intro-call`);
    expect(params(f).get("theme")).toBe("dark");
    page("booked", { id: 1 });
    expect(booked).toHaveBeenCalledExactlyOnceWith({ id: 1 });

    // Commands pushed after load run immediately.
    const late = vi.fn();
    api.q.push(["on", "viewed", late]);
    page("viewed");
    expect(late).toHaveBeenCalledOnce();

    // data-timeout applies.
    const errors = vi.fn();
    api.on("error", errors);
    vi.advanceTimersByTime(49);
    expect(errors).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(errors).toHaveBeenCalledExactlyOnceWith({
      stage: "booking_page",
      attempt: 1,
      reason: "timeout",
    });
  });

  it("mounts into data-target and sends data-prefill-*", () => {
    const s = script({
      coach: "dana-reyes",
      target: "#booking",
      prefillName: "Ada",
      prefillEmail: "ada@example.com",
    });
    install(window as never, s);
    page("ready");
    expect(fakeWindow(iframe(target)).postMessage).toHaveBeenCalledWith(
      expect.objectContaining({ payload: { name: "Ada", email: "ada@example.com" } }),
      KAIROS,
    );
  });

  it("adds the floating button in button mode", () => {
    install(window as never, script({ coach: "dana-reyes", mode: "button", text: "Book a call" }));
    const b = [...document.querySelectorAll("button")].find((x) => x.textContent === "Book a call");
    expect(b).toBeDefined();
  });

  it("opens the popup from the data-target element in popup mode", () => {
    target.innerHTML = "<a href='#'>Book</a>";
    install(window as never, script({ coach: "dana-reyes", mode: "popup", target: "#booking a" }));
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    (target.querySelector("a") as HTMLAnchorElement).click();
    expect(iframe(document.querySelector('[role="dialog"]') as HTMLElement)).not.toBeNull();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
  });

  it("waits for the DOM while the page is still loading", () => {
    Object.defineProperty(document, "readyState", { value: "loading", configurable: true });
    try {
      const queued = vi.fn();
      Object.assign(window, { Kairos: { q: [["on", "ready", queued]] } });
      const s = script({ coach: "dana-reyes", target: "#late" });
      install(window as never, s);
      expect(iframe()).toBeNull();
      const late = document.body.appendChild(document.createElement("div"));
      late.id = "late";
      document.dispatchEvent(new Event("DOMContentLoaded"));
      expect(iframe(late)).not.toBeNull();
      page("ready");
      expect(queued).toHaveBeenCalledOnce();
    } finally {
      Reflect.deleteProperty(document, "readyState");
    }
  });

  it("reuses the installed API for a second script tag", () => {
    const first = install(window as never, script({ coach: "dana-reyes" }));
    const second = install(window as never, script({ coach: "sam-lee" }));
    expect(second).toBe(first);
    const paths = [...document.querySelectorAll("iframe")].map((f) => new URL(f.src).pathname);
    expect(paths).toEqual(["/book/dana-reyes", "/book/sam-lee"]);
  });
});

describe("teardown", () => {
  it("stops retries and Calendly fallbacks once the widget is closed", () => {
    const errors = vi.fn();
    kairos.on("error", errors);
    const stop = inline({ timeout: 10, calendlyUrl: CALENDLY, calendlyScript: `${KAIROS}/x.js` });
    const appendChild = document.head.appendChild.bind(document.head);
    let script: HTMLScriptElement | undefined;
    vi.spyOn(document.head, "appendChild").mockImplementation((n) => {
      if (!(n instanceof HTMLScriptElement)) return appendChild(n);
      script = n;
      return n;
    });
    vi.advanceTimersByTime(10 + 1000 + 10 + 2000 + 10);
    expect(errors).toHaveBeenCalledTimes(3);
    stop();
    script?.dispatchEvent(new Event("error"));
    vi.advanceTimersByTime(60_000);
    expect(errors).toHaveBeenCalledTimes(3);
    expect(target.querySelector("a")).toBeNull();
  });
});
