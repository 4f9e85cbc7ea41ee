import { describe, expect, it } from "vitest";
import { WholeResponse } from "../../src/providers/whole-response.js";

const init = {
  status: 200,
  statusText: "OK",
  headers: { "content-type": "application/json", "x-request-id": "req-1" },
};
const answer = () => new WholeResponse(new TextEncoder().encode('{"answer": "ok"}'), init);

describe("WholeResponse", () => {
  it("is a Response: status, headers and body read as fetch's are", async () => {
    const response = answer();
    expect(response).toBeInstanceOf(Response);
    expect([response.ok, response.status, response.statusText, response.headers.get("x-request-id")]).toEqual([
      true,
      200,
      "OK",
      "req-1",
    ]);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ answer: "ok" });
    expect(response.bodyUsed).toBe(true);
  });

  it("reads once, and refuses a second read or a clone after it with a TypeError", async () => {
    const response = answer();
    expect(await response.text()).toBe('{"answer": "ok"}');
    await expect(response.json()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  it("clones an unread body, each copy read on its own", async () => {
    const response = answer();
    const copy = response.clone();
    expect(await copy.json()).toEqual({ answer: "ok" });
    expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('{"answer": "ok"}');
  });

  it("hands out its body as a stream on demand: reading it uses the body; a stream not read is cancelled by a read", async () => {
    const streamed = answer();
    const text = await new Response(streamed.body).text();
    expect(text).toBe('{"answer": "ok"}');
    expect(streamed.bodyUsed).toBe(true);
    await expect(streamed.text()).rejects.toThrow(TypeError);

    const looked = answer();
    const stream = looked.body;
    expect(stream.locked).toBe(false);
    expect(looked.bodyUsed).toBe(false);
    expect(await looked.json()).toEqual({ answer: "ok" });
    expect((await stream.getReader().read()).done).toBe(true);

    const teed = answer();
    void teed.body;
    const copy = teed.clone();
    expect(await copy.text()).toBe('{"answer": "ok"}');
    expect(await new Response(teed.body).text()).toBe('{"answer": "ok"}');
  });

  it("gives its bytes as an ArrayBuffer of their own, a Uint8Array and a Blob typed by its content-type", async () => {
    const data = new TextEncoder().encode("0123456789");
    const slice = data.subarray(2, 6);
    expect(new TextDecoder().decode(await new WholeResponse(slice, init).arrayBuffer())).toBe("2345");
    expect(Array.from(await new WholeResponse(slice, init).bytes())).toEqual([50, 51, 52, 53]);
    const blob = await new WholeResponse(slice, init).blob();
    expect([blob.type, await blob.text()]).toEqual(["application/json", "2345"]);
  });
});
