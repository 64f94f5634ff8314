// Memory used again instead of allocated afresh: a fresh megabyte per batch or per decompressed piece is external
// memory that only a collection gives back, so the reader (read.ts) and the decompressing worker (inflate-worker.ts)
// keep the buffers they are handed back.

/** A few ArrayBuffers kept to be used again. */
export class Shelf {
  private readonly list: ArrayBuffer[] = [];

  constructor(private readonly max: number) {}

  put(buffer: ArrayBuffer): void {
    if (this.list.length < this.max) this.list.push(buffer);
  }

  /** One of at least `bytes`, or undefined. */
  take(bytes: number): ArrayBuffer | undefined {
    const i = this.list.findIndex((b) => b.byteLength >= bytes);
    return i < 0 ? undefined : this.list.splice(i, 1)[0];
  }
}
