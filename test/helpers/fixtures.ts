import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The response body of a REST API example fixture (`{ parameters, responses: { 200: { body } } }`). */
// biome-ignore lint/suspicious/noExplicitAny: Microsoft's example bodies vary by API; each test reads the fields it states.
export function fixtureBody(name: string): any {
  const path = fileURLToPath(new URL(`../fixtures/arm/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')).responses['200'].body;
}
