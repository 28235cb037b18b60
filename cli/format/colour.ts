/** ANSI colours for terminals; `NO_COLOR` (any value) or a non-terminal stdout turns them off (FORCE_COLOR turns them on). */
export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

export function paletteFor(env: Record<string, string | undefined>, isTty: boolean): Palette {
  const enabled = env.NO_COLOR === undefined && (isTty || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'));
  if (!enabled) return { red: plain, yellow: plain, cyan: plain, green: plain, dim: plain, bold: plain };
  return { red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
