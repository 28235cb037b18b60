import { HttpRequest, InvocationContext } from '@azure/functions';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDashboard } from '../../functions/dashboard.js';

/** Everything the document would fetch from elsewhere: script, style and image sources, and preloads. */
function externalResources(html: string): string[] {
  return [...html.matchAll(/<(?:script|img|iframe)\b[^>]*\bsrc=["']?([^"'\s>]+)|<link\b[^>]*\bhref=["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? m[2] ?? '');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('GET /api/dashboard', () => {
  it('serves one self-contained HTML document whose policy allows exactly its own script and style', async () => {
    const response = await getDashboard(
      new HttpRequest({ url: 'http://localhost/api/dashboard?code=k', method: 'GET' }),
      new InvocationContext({ functionName: 'dashboard', logHandler: () => {} }),
    );
    expect(response.status).toBe(200);
    const headers = response.headers as Record<string, string>;
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['referrer-policy']).toBe('no-referrer');
    const html = String(response.body);
    expect(html).toMatch(/^<!doctype html>/);
    expect(externalResources(html)).toEqual([]);
    const script = /<script type="module">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(script.length).toBeGreaterThan(1000);
    expect(headers['content-security-policy']).toContain(`script-src ${sha256(script)};`);
    expect(headers['content-security-policy']).toContain(`style-src ${sha256(style)};`);
    expect(headers['content-security-policy']).toContain("connect-src 'self'");
    // Control: a CDN script would be found.
    expect(externalResources(html.replace('<title>', '<script src="https://cdn.example.net/x.js"></script><title>'))).toEqual(['https://cdn.example.net/x.js']);
  });
});
