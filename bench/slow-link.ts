/**
 * A slow mobile link on loopback for the first-visit measures: a TCP proxy to the sync-server that
 * delays every chunk by half the round-trip time each way and shares one bandwidth budget per
 * direction between all connections (a link, not a per-connection cap). Unlike the page's own
 * network emulation it also slows the service worker's precache downloads.
 */
import net from 'node:net';

export interface SlowLink {
  url: string;
  /** What crossed the link so far (service worker downloads included). */
  traffic(): Traffic;
  close(): Promise<void>;
}

export interface Traffic {
  connections: number;
  /** HTTP requests: chunks from the browser that open with a request line. */
  requests: number;
  bytesDown: number;
  bytesUp: number;
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH) \S+ HTTP\/1\.[01]\r\n/;

/** One direction of the link: chunks leave in order, no earlier than `delayMs`, at `bytesPerSec`. */
class Direction {
  private freeAt = 0;
  constructor(
    private readonly delayMs: number,
    private readonly bytesPerSec: number
  ) {}
  /** When a chunk sent now arrives at the other end. */
  arrival(bytes: number): number {
    const start = Math.max(Date.now(), this.freeAt);
    this.freeAt = start + (bytes / this.bytesPerSec) * 1000;
    return this.freeAt + this.delayMs;
  }
}

export async function startSlowLink(
  target: { host: string; port: number },
  opts: { rttMs: number; kbps: number }
): Promise<SlowLink> {
  const bytesPerSec = (opts.kbps * 1000) / 8;
  const down = new Direction(opts.rttMs / 2, bytesPerSec);
  const up = new Direction(opts.rttMs / 2, bytesPerSec);
  const sockets = new Set<net.Socket>();
  const traffic: Traffic = { connections: 0, requests: 0, bytesDown: 0, bytesUp: 0 };
  const pipe = (from: net.Socket, to: net.Socket, dir: Direction) => {
    let last = Promise.resolve();
    from.on('data', (chunk) => {
      if (dir === up) {
        traffic.bytesUp += chunk.length;
        if (REQUEST_LINE.test(chunk.toString('latin1', 0, 200))) traffic.requests++;
      } else traffic.bytesDown += chunk.length;
      const at = dir.arrival(chunk.length);
      // Kept in order per connection: each write waits for the one before it.
      last = last
        .then(() => new Promise<void>((r) => setTimeout(r, Math.max(0, at - Date.now()))))
        .then(() => {
          if (!to.destroyed) to.write(chunk);
        });
    });
    from.on('end', () => void last.then(() => to.end()));
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    traffic.connections++;
    sockets.add(client);
    sockets.add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    pipe(client, upstream, up);
    pipe(upstream, client, down);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    traffic: () => ({ ...traffic }),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      })
  };
}
