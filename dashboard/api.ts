/**
 * Every byte the dashboard shows comes from the findings API, through here. The function key (`?code=` on the
 * dashboard's own URL, as the Functions host requires it) goes with each call as the `x-functions-key` header;
 * behind App Service authentication there is no key, and the session cookie (same origin) carries the identity.
 */
export class ApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const functionKey = new URLSearchParams(location.search).get('code');
/** The API's base: the dashboard is served at `<base>dashboard`, next to the API's routes. */
const apiBase = new URL('.', location.href);

export type Params = Record<string, string | undefined>;

export async function api<T>(path: string, params: Params = {}): Promise<T> {
  const url = new URL(path, apiBase);
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, { headers: functionKey ? { 'x-functions-key': functionKey } : {}, credentials: 'same-origin' });
  } catch {
    throw new ApiError(path, 0, 'the app could not be reached (offline, or signed out: reload the page)');
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = ((await response.json()) as { error?: string }).error ?? detail;
    } catch {
      // Not JSON (a gateway's page, an authentication redirect): the status says enough.
    }
    throw new ApiError(path, response.status, `HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  return (await response.json()) as T;
}
