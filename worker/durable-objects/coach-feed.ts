/**
 * CoachFeed: one per coach. Open dashboards connect by WebSocket (hibernation API, so idle sockets
 * cost nothing); domain code calls `publish()` to push a change to every one of them.
 */
import { DurableObject } from "cloudflare:workers";

export class CoachFeed extends DurableObject<Env> {
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade") !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  publish(message: Record<string, unknown>): number {
    const sockets = this.ctx.getWebSockets();
    const text = JSON.stringify(message);
    for (const ws of sockets) ws.send(text);
    return sockets.length;
  }

  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    if (message === "ping") ws.send("pong");
  }

  webSocketClose(ws: WebSocket, code: number) {
    // 1005/1006 are reserved ("no status"/"abnormal") and may not be sent back.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
  }
}
