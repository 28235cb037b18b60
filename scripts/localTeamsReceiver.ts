import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Teams Workflows webhook on 127.0.0.1 (dev only): it accepts what Teams would get and prints the
 * Adaptive Card as text, so `npm start` shows a newcomer the alert messages.
 */
export async function startLocalTeamsReceiver(print: (text: string) => void): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const textOf = (element: unknown, depth = 0): string[] => {
    if (element === null || typeof element !== 'object') return [];
    const e = element as { type?: string; text?: string; facts?: { title: string; value: string }[]; items?: unknown[]; body?: unknown[]; columns?: unknown[] };
    const pad = '  '.repeat(depth);
    if (e.type === 'TextBlock' && e.text) return [`${pad}${e.text}`];
    if (e.type === 'FactSet' && e.facts) return e.facts.map((f) => `${pad}${f.title}: ${f.value}`);
    return [...(e.body ?? []), ...(e.items ?? []), ...(e.columns ?? [])].flatMap((child) => textOf(child, e.type === 'Container' ? depth + 1 : depth));
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      received += 1;
      try {
        const message = JSON.parse(body) as { attachments?: { content?: unknown }[] };
        for (const attachment of message.attachments ?? []) print(`${textOf(attachment.content).join('\n')}\n`);
      } catch {
        print(`(a message that is not JSON: ${body.length} bytes)\n`);
      }
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/workflows/teams`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
