import { createHash } from "node:crypto";
import { LruCache } from "../text/lru-cache.js";

/** Namespace of extractor-bench's fallback entity ids (a fixed, random UUID). */
export const ENTITY_NAMESPACE = "6f1c1b9e-4d0a-4c57-9a43-2f5b8e3d7c21";

/** Fallback ids of names seen lately, the least recently used forgotten first: the same few names recur in every conversation of a scope. */
const RECENT_LIMIT = 10_000;
const recent = new LruCache<string, string>(RECENT_LIMIT);

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string = ENTITY_NAMESPACE): string {
  const key = `${namespace}\u0000${name}`;
  const known = recent.get(key);
  if (known) return known;
  const id = computeUuidV5(name, namespace);
  recent.set(key, id);
  return id;
}

function computeUuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const modelHashes = new Map<string, string>();

/** First 16 hex digits of the SHA-256 of a model name: stable across deployments. */
export function modelVersionHash(model: string): string {
  let hash = modelHashes.get(model);
  if (!hash) modelHashes.set(model, (hash = createHash("sha256").update(model, "utf8").digest("hex").slice(0, 16)));
  return hash;
}
