/**
 * A TCP proxy between the service and Redis that injects the faults a real network and a real
 * failover produce: a reply lost after Redis executed the command (the connection drops before the
 * reply reaches the client, which reconnects and re-sends), a connection reset while a command is
 * in flight, and replies delayed past the client's timeout. Used by the key-path fault tests and
 * the soak. Faults are armed per command: `match` is a substring of the command bytes (a key, an
 * argument, a script body's marker).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Armed {
  match: string;
  kind: 'drop-reply' | 'reset';
}

export class FaultProxy {
  private readonly sockets = new Set<Socket>();
  private armed: Armed[] = [];
  private delayMs = 0;
  /** Faults that fired, by kind (tests assert the fault really happened). */
  readonly fired = { 'drop-reply': 0, reset: 0 };
  /** When each armed fault fired (the soak's fault windows). */
  readonly firedAt: { kind: Armed['kind']; match: string; atMs: number }[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const holder: { proxy?: FaultProxy } = {};
    const server = createServer((client) => holder.proxy!.pipe(client, target));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const a = server.address();
    holder.proxy = new FaultProxy(server, typeof a === 'object' && a ? a.port : 0);
    return holder.proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The next command containing `match`: Redis runs it, its reply is lost and the connection dropped. */
  dropReply(match: string): void {
    this.armed.push({ match, kind: 'drop-reply' });
  }

  /** The next command containing `match` is forwarded, then the connection is reset at once. */
  resetAfterSend(match: string): void {
    this.armed.push({ match, kind: 'reset' });
  }

  /** Every reply from now on reaches the client `ms` late (0: no delay). */
  delayReplies(ms: number): void {
    this.delayMs = ms;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(() => r(undefined)));
  }

  private pipe(client: Socket, target: { host: string; port: number }): void {
    const upstream = connect(target.port, target.host);
    this.sockets.add(client).add(upstream);
    let dropNext = false;
    const held: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const release = () => {
      while (held.length && held[0]!.at <= Date.now()) client.write(held.shift()!.chunk);
      if (held.length && !timer)
        timer = setTimeout(() => {
          timer = undefined;
          release();
        }, held[0]!.at - Date.now());
    };
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      this.sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const hit = this.armed.findIndex((a) => text.includes(a.match));
      upstream.write(chunk);
      if (hit < 0) return;
      const [fault] = this.armed.splice(hit, 1);
      this.fired[fault!.kind] += 1;
      this.firedAt.push({ kind: fault!.kind, match: fault!.match, atMs: Date.now() });
      if (fault!.kind === 'reset') setImmediate(kill);
      else dropNext = true;
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropNext) {
        kill();
        return;
      }
      // Replies keep their order (as TCP keeps it) when the delay changes: one queue per connection,
      // released head first, so none overtakes one held back.
      held.push({ at: Date.now() + this.delayMs, chunk });
      release();
    });
  }
}
