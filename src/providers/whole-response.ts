/**
 * A fetch `Response` over a body already read whole (see modelFetch). `new Response(buffer)` wraps the
 * buffer in a WHATWG ReadableStream and reads it back through the stream for `json()`: about a tenth
 * of a millisecond of the event loop per model answer, which answers that arrive together pay one
 * after the other. Here `text()`, `json()`, `arrayBuffer()`, `bytes()` and `blob()` read the buffer
 * itself, and a stream is made only when `body` is asked for (a streamed answer, the Anthropic SDK's
 * bookkeeping of abandoned bodies). A body reads once, as fetch's does: `bodyUsed` then says so, and
 * reading it again, reading it while its stream is being read, or cloning it throws a TypeError.
 */
export class WholeResponse extends Response {
  readonly #data: Uint8Array;
  #stream: ReadableStream<Uint8Array> | undefined;
  #used = false;

  constructor(data: Uint8Array, init: ResponseInit) {
    super(null, init);
    this.#data = data;
  }

  // @ts-expect-error: lib.dom declares `body` a property; a getter is how it is read all the same.
  override get body(): ReadableStream<Uint8Array> {
    // Pulled only when read (no high-water mark): the first read is what uses the body.
    this.#stream ??= new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          this.#used = true;
          if (this.#data.byteLength > 0) controller.enqueue(this.#data);
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return this.#stream;
  }

  // @ts-expect-error: as `body`.
  override get bodyUsed(): boolean {
    return this.#used;
  }

  /**
   * The whole body, once. A stream handed out and not being read is cancelled (the body is read here
   * and nothing is left for it); one being read makes the body unusable, as fetch's is.
   */
  async #take(): Promise<Uint8Array> {
    if (this.#used || this.#stream?.locked) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    if (this.#stream) await this.#stream.cancel();
    return this.#data;
  }

  // The read methods are fields, as the Response type declares them (it has no methods to override).
  override readonly text = async (): Promise<string> => new TextDecoder().decode(await this.#take());

  override readonly json = async (): Promise<unknown> => JSON.parse(await this.text());

  override readonly arrayBuffer = async (): Promise<ArrayBuffer> => {
    const data = await this.#take();
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  };

  readonly bytes = async (): Promise<Uint8Array> => new Uint8Array(await this.arrayBuffer());

  override readonly blob = async (): Promise<Blob> =>
    new Blob([await this.arrayBuffer()], { type: this.headers.get("content-type") ?? "" });

  override readonly clone = (): Response => {
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    if (this.#stream) {
      const [mine, theirs] = this.#stream.tee();
      this.#stream = mine;
      return new Response(theirs, this.#init());
    }
    return new WholeResponse(this.#data, this.#init());
  };

  #init(): ResponseInit {
    return { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) };
  }
}
