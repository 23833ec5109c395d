import * as net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a test server, to make networks fail on purpose: it can
 * cut connections after a number of client-to-server bytes, and delay every chunk both ways
 * (a round-trip time on loopback).
 */
export interface ProxyOptions {
  targetPort: number;
  /** Cut a connection once the client has sent this many bytes through it. */
  cutAfterBytes?: number;
  /** How many connections to cut, the first to reach `cutAfterBytes` (the rest pass untouched); default: all. */
  cutConnections?: number;
  /** Delay added to every chunk in each direction, in ms (RTT = 2 × delay). */
  delayMs?: number;
  /** Pass only the first N connections; later ones are closed at once, as a refusing server's are. */
  acceptConnections?: number;
}

export interface Proxy {
  port: number;
  /** Connections cut so far. */
  cuts(): number;
  connections(): number;
  close(): Promise<void>;
}

function delayed(from: net.Socket, to: net.Socket, ms: number): void {
  // Chunks keep their order: each is written when its own timer fires, timers fire in order.
  from.on('data', (chunk) => {
    from.pause();
    setTimeout(() => { if (!to.destroyed) to.write(chunk); }, ms);
    setImmediate(() => from.resume());
  });
  from.on('end', () => setTimeout(() => to.end(), ms));
}

export function startProxy(o: ProxyOptions): Promise<Proxy> {
  let cuts = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    if (o.acceptConnections !== undefined && connections > o.acceptConnections) {
      client.destroy();
      return;
    }
    const cutThis = o.cutAfterBytes !== undefined;
    const upstream = net.connect(o.targetPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const destroy = (): void => { client.destroy(); upstream.destroy(); };
    client.on('error', destroy);
    upstream.on('error', destroy);
    client.on('close', () => { sockets.delete(client); upstream.destroy(); });
    upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
    if (cutThis) {
      let sent = 0;
      let cut = false;
      client.on('data', (chunk) => {
        if (cut) return;
        sent += chunk.length;
        // Judged at the threshold, not at connect: connections opened together are not all cut.
        if (sent >= (o.cutAfterBytes as number)) {
          cut = true;
          if (cuts < (o.cutConnections ?? Infinity)) { cuts++; destroy(); }
        }
      });
    }
    if (o.delayMs) {
      delayed(client, upstream, o.delayMs);
      delayed(upstream, client, o.delayMs);
    } else {
      client.pipe(upstream);
      upstream.pipe(client);
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as net.AddressInfo).port,
      cuts: () => cuts,
      connections: () => connections,
      close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
    }));
  });
}
