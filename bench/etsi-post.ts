/** One ETSI GS QKD 014 POST over mutual TLS as the KME benches make it (the SAE's keep-alive agent). */
import { request, type Agent } from 'node:https';

export interface KeysReply {
  status: number;
  json: { keys: { key_ID: string }[] };
}

export function postEtsi(agent: Agent, port: number, path: string, body: string): Promise<KeysReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
