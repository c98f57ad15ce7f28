/**
 * The socket peer's address for Next.js route handlers and server actions, which do not see the socket (and
 * `next start` keeps a client-supplied X-Forwarded-For rather than appending the peer). installPeerAddressHeader(),
 * called once from instrumentation, stamps every request an http.Server in this process receives with its
 * socket's address under PEER_HEADER, overwriting whatever a client sent under that name; peerAddress() reads it
 * back only where the stamp is installed, so a header a client invents is never believed.
 * Pass the result as clientAddress(headers, peerAddress(headers)).
 */
import type { IncomingMessage, Server } from "node:http";

export const PEER_HEADER = "x-clearance-peer-address";

const holder = globalThis as unknown as { clearancePeerStamp?: boolean };

export function peerAddress(headers: Pick<Headers, "get"> | null | undefined): string | null {
  return holder.clearancePeerStamp ? (headers?.get(PEER_HEADER) ?? null) : null;
}

export async function installPeerAddressHeader(): Promise<void> {
  if (holder.clearancePeerStamp) return;
  const http = await import("node:http");
  // The original emit, called below with the server as `this` (emit.call), never unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function stampPeer(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      const address = req.socket?.remoteAddress;
      if (address) req.headers[PEER_HEADER] = address;
      else delete req.headers[PEER_HEADER];
    }
    return emit.apply(this, [event, ...args] as unknown as Parameters<typeof emit>);
  } as typeof emit;
  holder.clearancePeerStamp = true;
}
