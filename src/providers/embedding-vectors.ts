/** A vector as the API sends it: base64 of little-endian float32 (as asked), or a plain array from servers that ignore the encoding. */
export function decodeVector(value: unknown): Float32Array | undefined {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "base64");
    if (bytes.length === 0 || bytes.length % 4 !== 0) return undefined;
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === "number" && Number.isFinite(x)))
    return Float32Array.from(value as number[]);
  return undefined;
}

export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
}

/** The vector scaled to length 1 (a zero vector stays zero): cosine similarity is then a dot product. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const length = Math.sqrt(sum);
  if (length === 0 || length === 1) return vector;
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! / length;
  return unit;
}
