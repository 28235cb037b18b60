// Colour codes take no columns: lengths are measured on what the terminal shows.
const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns `text` takes: its code points, colour codes left out. */
function visible(text: string): number {
  const shown = text.includes('\u001b') ? text.replace(ANSI, '') : text;
  let columns = shown.length;
  // A surrogate pair is one code point (one column), as [...text] counts it; a lone surrogate is one too.
  for (let i = 0; i < shown.length - 1; i++) {
    const c = shown.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = shown.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        columns--;
        i++;
      }
    }
  }
  return columns;
}

/**
 * Word-wraps text to `width` columns: the first line keeps the text's own leading indent, each later line starts with
 * `indent`. A word longer than a line (an ARM id) is cut rather than overflowing the terminal.
 */
export function wrapText(text: string, width: number, indent: string): string[] {
  const lead = /^\s*/.exec(text)![0];
  const room = (first: boolean) => Math.max(20, width - (first ? lead.length : indent.length));
  const lines: string[] = [];
  let line = '';
  // The line's columns, kept as words are added: measuring the whole line again for each word was quadratic.
  let lineColumns = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    let restColumns = visible(rest);
    while (restColumns > room(lines.length === 0 && !line)) {
      if (line) {
        lines.push(line);
        line = '';
      }
      const cut = room(lines.length === 0);
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
      restColumns = visible(rest);
    }
    if (!line) {
      line = rest;
      lineColumns = restColumns;
    } else if (lineColumns + 1 + restColumns <= room(lines.length === 0)) {
      line += ` ${rest}`;
      lineColumns += 1 + restColumns;
    } else {
      lines.push(line);
      line = rest;
      lineColumns = restColumns;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? lead : indent) + l);
}

/** Items (already coloured) packed onto lines of `width`, joined by `separator`; a line never splits an item. */
export function packItems(items: readonly string[], width: number, first: string, indent: string, separator = '  '): string[] {
  const lines: string[] = [];
  let line = first;
  let lineColumns = visible(first);
  let empty = true;
  for (const item of items) {
    const itemColumns = visible(item);
    if (!empty && lineColumns + separator.length + itemColumns > width) {
      lines.push(line);
      line = indent;
      lineColumns = visible(indent);
      empty = true;
    }
    line += (empty ? '' : separator) + item;
    lineColumns += (empty ? 0 : separator.length) + itemColumns;
    empty = false;
  }
  lines.push(line);
  return lines;
}
