/**
 * Cloudflare Turnstile, loaded only at the confirm step so the page stays light. In sandbox mode
 * there is no network: the sandbox stand-in accepts Cloudflare's documented dummy token.
 */
import type { Coach } from "./api";

const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";
type Turnstile = {
  render(el: string, o: { sitekey: string; action: string; callback: (t: string) => void }): void;
};

let script: Promise<Turnstile> | undefined;

function loadTurnstile(): Promise<Turnstile> {
  script ??= new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
    s.async = true;
    s.onload = () => resolve((window as unknown as { turnstile: Turnstile }).turnstile);
    s.onerror = () => {
      script = undefined;
      reject({
        status: 0,
        message: "The spam check could not load. Please retry.",
        fields: {},
        slots: [],
      });
    };
    document.head.appendChild(s);
  });
  return script;
}

export async function humanToken(coach: Coach): Promise<string> {
  if (coach.sandbox) return DUMMY_TOKEN;
  const turnstile = await loadTurnstile();
  return new Promise((resolve) =>
    // The worker checks the action in production (worker/public-booking/guards.ts).
    turnstile.render("#turnstile", {
      sitekey: coach.turnstileSiteKey,
      action: "book",
      callback: resolve,
    }),
  );
}
