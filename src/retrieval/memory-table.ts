import type { Candidate } from "../schema/candidate.js";
import type { MemoryVersion, StoredMemory } from "../schema/retrieval-store.js";

const VERSIONS: readonly MemoryVersion[] = ["baseline", "candidate"];
const NONE = -1;

/** The id a memory keeps in every store: its version, conversation and place in the dry run. */
export function memoryId(version: MemoryVersion, conversationId: string, index: number): string {
  return `${version}:${conversationId}#${index}`;
}

/** A growable column of 32-bit integers. */
class IntColumn {
  values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(i: number): number {
    return this.values[i]!;
  }

  set(i: number, value: number): void {
    this.values[i] = value;
  }
}

/**
 * Both configs' memories of one scope in columns: each distinct string (type, subject, entity,
 * predicate, object, text, turn id, golden id) once, each memory a row of small numbers, and each
 * conversation's memories of a version a run of consecutive rows. A store is a view of it, its
 * memories made as objects only while the store is searched: a scope of 7,000 conversations held as
 * an object per memory (and a string per id, an array per evidence list) came to about 70 MB.
 */
export class MemoryTable {
  /** Distinct strings; the columns hold their index. */
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly conversationIds: string[] = [];
  private readonly conversationIndexes = new Map<string, number>();
  /** Per conversation and version (conversation × 2 + version): the first row of its memories and the row after the last. */
  private readonly rangeStart = new IntColumn();
  private readonly rangeEnd = new IntColumn();
  private readonly version = new IntColumn();
  private readonly conversation = new IntColumn();
  private readonly index = new IntColumn();
  private readonly type = new IntColumn();
  private readonly subject = new IntColumn();
  private readonly entity = new IntColumn();
  private readonly predicate = new IntColumn();
  private readonly object = new IntColumn();
  private readonly text = new IntColumn();
  private confidence = new Float64Array(1024);
  /** A row's evidence: `evidence[evidenceStart[row] .. evidenceStart[row + 1])`. */
  private readonly evidenceStart = new IntColumn();
  private readonly evidence = new IntColumn();
  /** The golden memories a row covers, in the order the verdicts gave them: a list linked through `coverNext`. */
  private readonly coverHead = new IntColumn();
  private readonly coverTail = new IntColumn();
  private readonly coverGolden = new IntColumn();
  private readonly coverNext = new IntColumn();

  constructor(readonly scope: string) {
    this.evidenceStart.push(0);
  }

  get size(): number {
    return this.version.length;
  }

  /** Add a dry run's candidates as a store would hold them; returns their rows [start, end). The subject's entity is kept when it resolved to a known one. */
  add(candidates: readonly Candidate[], version: MemoryVersion, conversationId: string): [number, number] {
    const start = this.size;
    const conversation = this.conversationIndex(conversationId);
    candidates.forEach((candidate, index) => {
      const subject = candidate.subject.trim();
      const entity = candidate.entities.find((e) => e.mention === subject && e.stage !== "fallback");
      const row = this.size;
      this.version.push(VERSIONS.indexOf(version));
      this.conversation.push(conversation);
      this.index.push(index);
      this.type.push(this.intern(candidate.type));
      this.subject.push(this.intern(candidate.subject));
      this.entity.push(entity ? this.intern(entity.id) : NONE);
      this.predicate.push(this.intern(candidate.predicate));
      this.object.push(this.intern(candidate.object));
      this.text.push(this.intern(candidate.text));
      if (row === this.confidence.length) {
        const grown = new Float64Array(row * 2);
        grown.set(this.confidence);
        this.confidence = grown;
      }
      this.confidence[row] = candidate.confidence;
      for (const turn of candidate.evidence) this.evidence.push(this.intern(turn));
      this.evidenceStart.push(this.evidence.length);
      this.coverHead.push(NONE);
      this.coverTail.push(NONE);
    });
    const at = conversation * 2 + VERSIONS.indexOf(version);
    this.rangeStart.set(at, start);
    this.rangeEnd.set(at, this.size);
    return [start, this.size];
  }

  /** Note that `row` covers the golden memory `goldenId` (after the ones noted before). */
  addCover(row: number, goldenId: string): void {
    const link = this.coverGolden.length;
    this.coverGolden.push(this.intern(goldenId));
    this.coverNext.push(NONE);
    const tail = this.coverTail.at(row);
    if (tail === NONE) this.coverHead.set(row, link);
    else this.coverNext.set(tail, link);
    this.coverTail.set(row, link);
  }

  /** The golden memories a row covers, in the order they were noted. */
  covers(row: number): string[] {
    const golden: string[] = [];
    for (let link = this.coverHead.at(row); link !== NONE; link = this.coverNext.at(link))
      golden.push(this.strings[this.coverGolden.at(link)]!);
    return golden;
  }

  versionOf(row: number): MemoryVersion {
    return VERSIONS[this.version.at(row)]!;
  }

  conversationOf(row: number): string {
    return this.conversationIds[this.conversation.at(row)]!;
  }

  /** The turn ids a row cites. */
  evidenceOf(row: number): string[] {
    const turns: string[] = [];
    for (let i = this.evidenceStart.at(row); i < this.evidenceStart.at(row + 1); i++)
      turns.push(this.strings[this.evidence.at(i)]!);
    return turns;
  }

  /** The row of a memory id this table gave out, or undefined (an id no memory of the scope has). */
  rowOfId(id: string): number | undefined {
    const colon = id.indexOf(":");
    const hash = id.lastIndexOf("#");
    const version = VERSIONS.indexOf(id.slice(0, colon) as MemoryVersion);
    const conversation = this.conversationIndexes.get(id.slice(colon + 1, hash));
    if (colon < 0 || hash < colon || version < 0 || conversation === undefined) return undefined;
    const at = conversation * 2 + version;
    const row = this.rangeStart.at(at) + Number(id.slice(hash + 1));
    return Number.isInteger(row) && row >= this.rangeStart.at(at) && row < this.rangeEnd.at(at) && this.idOf(row) === id
      ? row
      : undefined;
  }

  idOf(row: number): string {
    return memoryId(this.versionOf(row), this.conversationOf(row), this.index.at(row));
  }

  textOf(row: number): string {
    return this.strings[this.text.at(row)]!;
  }

  /** A row as a store holds it. */
  memory(row: number): StoredMemory {
    const entity = this.entity.at(row);
    const s = this.strings;
    return {
      id: this.idOf(row),
      conversation_id: this.conversationOf(row),
      scope: this.scope,
      version: this.versionOf(row),
      type: s[this.type.at(row)]!,
      subject: s[this.subject.at(row)]!,
      ...(entity !== NONE ? { subject_entity: s[entity]! } : {}),
      predicate: s[this.predicate.at(row)]!,
      object: s[this.object.at(row)]!,
      text: s[this.text.at(row)]!,
      confidence: this.confidence[row]!,
      evidence: this.evidenceOf(row),
    };
  }

  private conversationIndex(id: string): number {
    let index = this.conversationIndexes.get(id);
    if (index === undefined) {
      index = this.conversationIds.length;
      this.conversationIds.push(id);
      this.conversationIndexes.set(id, index);
      for (let i = 0; i < 2; i++) {
        this.rangeStart.push(0);
        this.rangeEnd.push(0);
      }
    }
    return index;
  }

  private intern(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, id);
    }
    return id;
  }
}
