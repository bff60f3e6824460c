/**
 * Counts the calls that reach the fake Calendly (and Zoom) while it is listening: every upstream
 * call Kairos makes, from a route, a consumer or a CoachGuard, leaves through `fetch` and so through
 * MSW. Sandbox control requests (the tests' own set-up) are not counted.
 */
import type { SetupServer } from "msw/node";

export function countUpstreamCalls(server: SetupServer) {
  const calls: string[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    const match = url.pathname.match(/^\/sandbox\/(calendly|zoom)\/(.*)$/);
    if (!match || match[2]?.startsWith("control")) return;
    calls.push(`${request.method} ${match[1]}:/${match[2]}`);
  };
  server.events.on("request:start", listener);
  return {
    calls,
    count: (provider?: "calendly" | "zoom") =>
      provider ? calls.filter((c) => c.includes(` ${provider}:/`)).length : calls.length,
    stop: () => server.events.removeListener("request:start", listener),
  };
}
