// Colour codes take no columns: lengths are measured on what the terminal shows.
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (text: string) => [...text.replace(ANSI, '')].length;

/**
 * Word-wraps text to `width` columns: the first line keeps the text's own leading indent, each later line starts with
 * `indent`. A word longer than a line (an ARM id) is cut rather than overflowing the terminal.
 */
export function wrapText(text: string, width: number, indent: string): string[] {
  const lead = /^\s*/.exec(text)![0];
  const room = (first: boolean) => Math.max(20, width - (first ? lead.length : indent.length));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (visible(rest) > room(lines.length === 0 && !line)) {
      if (line) {
        lines.push(line);
        line = '';
      }
      const cut = room(lines.length === 0);
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (!line) line = rest;
    else if (visible(line) + 1 + visible(rest) <= room(lines.length === 0)) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? lead : indent) + l);
}

/** Items (already coloured) packed onto lines of `width`, joined by `separator`; a line never splits an item. */
export function packItems(items: readonly string[], width: number, first: string, indent: string, separator = '  '): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const item of items) {
    if (!empty && visible(line) + separator.length + visible(item) > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : separator) + item;
    empty = false;
  }
  lines.push(line);
  return lines;
}
