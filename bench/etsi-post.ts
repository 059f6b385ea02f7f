/**
 * The KME benches' SAE client: ETSI GS QKD 014 POSTs over mutual TLS on keep-alive connections
 * (undici, the Node.js project's HTTP client: it costs the load generator about half the CPU of
 * node:https, and the generator shares this machine's two cores with the service it measures).
 */
import { Pool } from 'undici';

export interface KeysReply {
  status: number;
  json: { keys: { key_ID: string }[] };
}

export interface SaeCredentials {
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

export interface SaeClient {
  post(path: string, body: string): Promise<KeysReply>;
  /** The HTTP status of a GET; 0 when it could not connect. */
  get(path: string): Promise<number>;
  /** Waits (up to `timeoutMs`) until a GET of `path` answers 200: the KME process is up. */
  untilAnswers(path: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A client for one SAE: up to `connections` keep-alive connections to the KME at 127.0.0.1:`port`. */
export function saeClient(port: number, credentials: SaeCredentials, connections: number): SaeClient {
  const pool = new Pool(`https://127.0.0.1:${port}`, {
    connections,
    connect: { ...credentials, servername: 'localhost' },
  });
  return {
    async post(path, body) {
      const reply = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } });
      return { status: reply.statusCode, json: (await reply.body.json()) as KeysReply['json'] };
    },
    async get(path) {
      try {
        const reply = await pool.request({ method: 'GET', path });
        await reply.body.dump();
        return reply.statusCode;
      } catch {
        return 0;
      }
    },
    async untilAnswers(path, timeoutMs) {
      const until = performance.now() + timeoutMs;
      while ((await this.get(path)) !== 200 && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
    },
    close: () => pool.close(),
  };
}
