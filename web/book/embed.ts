/**
 * The booking page's side of the widget protocol (web/embed/protocol.ts). The worker puts the host
 * origin in the page only after checking it against the coach's allowed origins; messages go to that
 * exact origin and nowhere else, and only the parent window at that origin is listened to.
 */
import type { HostMessage, LifecycleEvent, PageMessage } from "../embed/protocol";

type Config = { embedOrigin: string | null; embedId: string | null };

const config: Config = JSON.parse(
  document.getElementById("kairos-config")?.textContent || '{"embedOrigin":null,"embedId":null}',
);

export const embedded = Boolean(config.embedOrigin && config.embedId && window.parent !== window);

function post(type: PageMessage["type"], payload?: Record<string, unknown>) {
  if (!embedded || !config.embedOrigin || !config.embedId) return;
  const message: PageMessage = { kairos: 1, id: config.embedId, type, payload };
  window.parent.postMessage(message, config.embedOrigin);
}

export const emit = (type: LifecycleEvent, payload?: Record<string, unknown>) =>
  post(type, payload);

/** Keeps the host's iframe as tall as the page. */
export function reportHeight() {
  if (!embedded) return;
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) post("resize", { height: (last = height) });
  }).observe(document.body);
}

export function onPrefill(apply: (p: HostMessage["payload"]) => void) {
  window.addEventListener("message", (event) => {
    const data = event.data as HostMessage | null;
    if (
      !embedded ||
      event.origin !== config.embedOrigin ||
      event.source !== window.parent ||
      data?.kairos !== 1 ||
      data.id !== config.embedId ||
      data.type !== "prefill"
    ) {
      return;
    }
    apply(data.payload ?? {});
  });
}
