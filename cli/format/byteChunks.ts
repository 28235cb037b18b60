/** About the size of a pipe or file write that keeps syscalls few without holding much memory. */
const CHUNK_BYTES = 1 << 20;

/**
 * Collects a report's text as UTF-8 bytes, handed to `write` in ~1 MB chunks. Each piece is encoded straight into
 * the chunk: concatenating ~200 pieces into a 1 MB string and encoding that cost about as much as producing the
 * JSON (the string is a rope that has to be flattened first). A chunk is never reused once written, since a pipe
 * may still hold it.
 */
export class ByteChunks {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  add(text: string): void {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    const most = text.length * 3;
    if (this.used + most > this.chunk.length) {
      this.flush();
      if (most > this.chunk.length) {
        this.write(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  flush(): void {
    if (this.used === 0) return;
    this.write(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }
}
