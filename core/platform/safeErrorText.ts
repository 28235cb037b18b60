/**
 * Keeping secrets out of logs and terminals. A storage RestError carries its request, whose URL or headers can hold a
 * SAS signature or a bearer token, and messages can quote a connection string or a URL: what is logged of an error
 * is its name and HTTP status (errorName), and what is shown to a person is its first line with secrets redacted.
 */

const REDACTED = '[redacted]';

/** The secret forms, each with the part kept before the value. Values end at a separator, a quote or whitespace. */
const SECRETS: readonly RegExp[] = [
  // SAS query parameter: the signature (…&sig=abc%2B…).
  /(\bsig=)[^&\s"'<>;]+/gi,
  // Connection strings: the account key and a SAS given as a whole.
  /(\bAccountKey=)[^;\s"']+/gi,
  /(\bSharedAccessSignature=)[^;\s"']+/gi,
  // Authorization headers (a token is long: "Bearer of bad news" is prose).
  /(\bBearer\s+)[A-Za-z0-9\-._~+/]{16,}=*/gi,
  // Standard Webhooks secrets (whsec_ + base64).
  /(\b)whsec_[A-Za-z0-9+/=]+/g,
  // A JWT seen without its header name (three base64url parts, the first two JSON).
  /(\b)eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
];

/** `text` with every secret form replaced by `[redacted]`; anything else is left as it was. */
export function redactSecrets(text: string): string {
  return SECRETS.reduce((out, pattern) => out.replace(pattern, `$1${REDACTED}`), text);
}

/** An error's name and HTTP status only (`RestError 503`): what the functions log of a failure. */
export function errorName(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? `${name} ${status}` : name;
}

/** An error's first line with secrets redacted: what a person is shown (the CLI). */
export function safeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message.split('\n')[0] ?? '');
}
