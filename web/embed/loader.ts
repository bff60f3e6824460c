/**
 * /embed.js — the booking-widget loader coaches paste on their own site. Vanilla, dependency-free and
 * tiny (built by the `kairos-embed-loader` step in vite.config.ts; budget 2,500 bytes gzipped, so the
 * code favours size over ceremony). Protocol: ./protocol.ts — type imports only, nothing of it reaches
 * the bundle. Usage and fallbacks: ./README.md.
 */
import type { HostMessage, LifecycleEvent, PageMessage } from "./protocol";

export type WidgetOptions = {
  coach: string;
  eventType?: string;
  target?: Element | string | null;
  theme?: string;
  prefill?: HostMessage["payload"];
  calendlyUrl?: string;
  calendlyScript?: string;
  /** Floating button label (`button`). */
  text?: string;
  /** How long to wait for the booking page's `ready` / Calendly's script, in ms (default 8000). */
  timeout?: number;
};
type Listener = (payload?: unknown) => void;
type Command = [string, ...unknown[]];
export type KairosApi = {
  /** Mounts the booking page into `target`; returns a teardown. */
  inline(o: WidgetOptions): () => void;
  /** Opens the booking page in a modal; returns `close`. */
  popup(o: WidgetOptions): () => void;
  /** A floating button (or `target`, e.g. your own link) that opens the popup. */
  button(o: WidgetOptions): Element;
  on(event: LifecycleEvent, fn: Listener): () => void;
  q: { push(c: Command): void };
};
type Calendly = { initInlineWidget(o: { url: string; parentElement: Element }): void };
/** Message payloads are untyped JSON. */
type Json = any;
type Win = Window & typeof globalThis & { Kairos?: unknown; Calendly?: Calendly };

const EVENTS = "ready viewed dateSelected timeSelected booked rescheduled canceled error".split(
  " ",
);
const UTM = "source medium campaign content term".split(" ");

export function createKairos(kairosOrigin: string, win: Win = window as Win): KairosApi {
  const doc = win.document;
  const loc = win.location;
  const listeners: Record<string, Listener[]> = {};
  // appendChild, not append: the Workers types (also in scope here) redeclare Element#append.
  const add = <T extends Node>(parent: Node, child: T) => parent.appendChild(child);
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    props?: Partial<HTMLElementTagNameMap[K]>,
    css?: string,
  ) => {
    const e = Object.assign(doc.createElement(tag), props);
    if (css) e.style.cssText = css;
    return e;
  };
  const emit = (type: string, detail: unknown, at: Element) => {
    for (const fn of (listeners[type] || []).slice()) fn(detail);
    at.dispatchEvent(new CustomEvent(`kairos:${type}`, { bubbles: true, detail }));
  };
  const title = (o: WidgetOptions) => `Book with ${o.coach}`;
  const resolve = (t: WidgetOptions["target"]) =>
    typeof t === "string" ? doc.querySelector(t) : t;
  const newId = () => `k${Math.random().toString(36).slice(2)}`;

  /** The booking page URL; `id` adds the embed parameters (without: the plain page, for links). */
  const pageUrl = (o: WidgetOptions, id?: string) => {
    const u = new URL(
      `/book/${encodeURIComponent(o.coach)}${o.eventType ? `/${encodeURIComponent(o.eventType)}` : ""}`,
      kairosOrigin,
    );
    const q = u.searchParams;
    const host = new URLSearchParams(loc.search);
    if (id) {
      q.set("embed_origin", loc.origin);
      q.set("embed_id", id);
      if (o.theme) q.set("theme", o.theme);
    }
    for (const k of UTM) {
      const v = host.get(`utm_${k}`);
      if (v) q.set(`utm_${k}`, v);
    }
    q.set("referrer", loc.href);
    return u.href;
  };

  /** Mounts one widget into `box`: booking page iframe → Calendly → plain link. Returns a teardown. */
  const mount = (o: WidgetOptions, box: Element, id: string) => {
    const timeout = o.timeout || 8e3;
    const cal = o.calendlyUrl;
    const booked: Record<string, 1> = {};
    let frame: HTMLIFrameElement | 0 = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let calOrigin = "";
    const fail = (stage: string, reason: string, attempt?: number) =>
      emit("error", { stage, attempt, reason }, box);

    const onMessage = (e: MessageEvent) => {
      const d: Json = e.data || {};
      const p: Json = d.payload || {};
      if (frame && e.origin === kairosOrigin && e.source === frame.contentWindow) {
        const m = d as PageMessage;
        if (m.kairos !== 1 || m.id !== id) return;
        if (m.type === "resize") {
          if (p.height > 0) frame.style.cssText += `;min-height:0;height:${+p.height}px`;
          return;
        }
        if (m.type === "ready") {
          clearTimeout(timer);
          attempt = 9; // ready: no more retries
          if (o.prefill) {
            const msg: HostMessage = { kairos: 1, id, type: "prefill", payload: o.prefill };
            (frame.contentWindow as Window).postMessage(msg, kairosOrigin);
          }
        }
        if (EVENTS.indexOf(m.type) >= 0) emit(m.type, m.payload, box);
      } else if (e.origin === calOrigin && /^calendly\./.test(d.event)) {
        if (d.event === "calendly.date_and_time_selected") emit("timeSelected", p, box);
        const uri = (p.event || {}).uri;
        if (d.event === "calendly.event_scheduled" && !booked[uri]) {
          if (uri) booked[uri] = 1;
          emit("booked", { source: "calendly", event: uri, invitee: (p.invitee || {}).uri }, box);
        }
      }
    };

    const link = () => {
      add(
        box,
        el("a", {
          href: cal || pageUrl(o),
          target: "_blank",
          rel: "noopener",
          textContent: title(o),
        }),
      );
      fail("link", "fallback");
    };

    const calendly = (tries: number): void => {
      if (!cal) return link();
      calOrigin = new URL(cal).origin;
      const init = () => {
        if (!win.Calendly) return;
        win.Calendly.initInlineWidget({ url: cal, parentElement: box });
        return 1;
      };
      if (init()) return;
      let done = 0;
      const end = (reason?: string) => {
        if (done++ || attempt > 3) return; // settled, or torn down
        clearTimeout(timer);
        if (!reason && init()) return;
        s.remove();
        fail("calendly", reason || "no_calendly", tries);
        tries < 2 ? calendly(tries + 1) : link();
      };
      const s = el("script", {
        src: o.calendlyScript || "https://assets.calendly.com/assets/external/widget.js",
        async: true,
        onload: () => end(),
        onerror: () => end("error"),
      });
      timer = setTimeout(end, timeout, "timeout");
      add(doc.head, s);
    };

    const load = () => {
      const f = el(
        "iframe",
        { title: title(o), src: pageUrl(o, id), loading: "eager" },
        "display:block;width:100%;border:0;min-height:600px",
      );
      add(box, (frame = f));
      const failed = (reason: string) => {
        if (attempt > 2 || f !== frame) return;
        clearTimeout(timer);
        f.remove();
        frame = 0;
        fail("booking_page", reason, ++attempt);
        attempt < 3 ? (timer = setTimeout(load, attempt * 1e3)) : calendly(1);
      };
      // Listen after insertion: browsers report load errors asynchronously.
      f.onerror = () => failed("error");
      timer = setTimeout(failed, timeout, "timeout");
    };

    win.addEventListener("message", onMessage);
    load();
    return () => {
      clearTimeout(timer);
      attempt = 9;
      win.removeEventListener("message", onMessage);
    };
  };

  const popup = (o: WidgetOptions, id = newId()) => {
    const overlay = el(
      "div",
      {},
      "position:fixed;inset:0;z-index:2147483647;background:#0008;display:grid;place-items:center",
    );
    const box = el(
      "div",
      {},
      "position:relative;background:#fff;width:min(720px,100%);max-height:100%;overflow:auto",
    );
    const x = el(
      "button",
      { textContent: "×" },
      "position:absolute;right:0;border:0;background:0;font-size:24px",
    );
    x.setAttribute("aria-label", "Close");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", title(o));
    const back = doc.activeElement as HTMLElement;
    const key = (e: KeyboardEvent) => e.key === "Escape" && close();
    const close = () => {
      stop();
      overlay.remove();
      doc.removeEventListener("keydown", key);
      back.focus();
    };
    overlay.onclick = (e) => e.target === overlay && close();
    x.onclick = close;
    doc.addEventListener("keydown", key);
    add(overlay, add(box, x).parentNode as Node);
    add(doc.body, overlay);
    x.focus();
    const stop = mount(o, box, id);
    return close;
  };

  /** Makes `b` open the popup; preloads on first hover/focus or when the browser is idle. */
  const attach = (b: Element, o: WidgetOptions) => {
    const id = newId();
    let done = 0;
    const pre = () => {
      if (done++) return;
      add(doc.head, el("link", { rel: "preconnect", href: kairosOrigin }));
      add(doc.head, el("link", { rel: "prefetch", href: pageUrl(o, id) }));
    };
    b.addEventListener("pointerenter", pre);
    b.addEventListener("focus", pre);
    b.addEventListener("click", (e) => {
      e.preventDefault();
      pre();
      popup(o, id);
    });
    win.requestIdleCallback ? win.requestIdleCallback(pre) : setTimeout(pre, 2e3);
    return b;
  };

  const api: KairosApi = {
    inline: (o) => {
      const t = resolve(o.target);
      return t ? mount(o, t, newId()) : () => {};
    },
    popup: (o) => popup(o),
    button: (o) =>
      attach(
        resolve(o.target) ||
          add(
            doc.body,
            el(
              "button",
              { textContent: o.text || "Book a session" },
              "position:fixed;right:20px;bottom:20px;z-index:2147483646;padding:12px 20px;border:0;border-radius:24px;background:#2563eb;color:#fff;font:600 15px sans-serif",
            ),
          ),
        o,
      ),
    on: (event, fn) => {
      const l = (listeners[event] ||= []);
      l.push(fn);
      return () => {
        const i = l.indexOf(fn);
        if (i >= 0) l.splice(i, 1);
      };
    },
    q: {
      push: ([name, ...args]) => {
        const fn = (api as unknown as Record<string, (...a: unknown[]) => void>)[name];
        if (fn) fn(...args);
      },
    },
  };
  return api;
}

/**
 * Installs `window.Kairos` (once per page: a second script tag reuses it), replays commands queued
 * before the script loaded, then mounts the widget the script tag describes — after the DOM is parsed,
 * since an async script can run before `<body>` or its `data-target` exists.
 */
export function install(win: Win, script: HTMLScriptElement) {
  const prev = (win.Kairos || {}) as Partial<KairosApi> & { q?: Command[] };
  const api = prev.inline
    ? (prev as KairosApi)
    : (win.Kairos = createKairos(new URL(script.src).origin, win));
  const doc = win.document;
  const d = script.dataset;
  const go = () => {
    for (const c of prev.inline ? [] : prev.q || []) api.q.push(c);
    if (!d.coach) return;
    // dataset keys are the option names (data-event-type → eventType, data-calendly-url → calendlyUrl…)
    const o: WidgetOptions = {
      ...(d as unknown as WidgetOptions),
      timeout: +(d.timeout as string),
      prefill:
        d.prefillName || d.prefillEmail
          ? { name: d.prefillName, email: d.prefillEmail }
          : undefined,
    };
    if (d.mode === "popup" || d.mode === "button") api.button(o);
    else {
      if (!d.target)
        (script.parentNode as Node).insertBefore((o.target = doc.createElement("div")), script);
      api.inline(o);
    }
  };
  doc.readyState === "loading" ? doc.addEventListener("DOMContentLoaded", go) : go();
  return api;
}

// The /embed.js entry: `document.currentScript` is only set while a classic script first runs.
if (document.currentScript) {
  install(window as Win, document.currentScript as HTMLScriptElement);
}
