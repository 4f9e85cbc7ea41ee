import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeMemories } from "../../src/golden/propose.js";
import { journalPath } from "../../src/golden/review/review-journal.js";
import { MAX_BODY_BYTES, startReviewServer, type ReviewServer } from "../../src/golden/review/review-server.js";
import { ReviewConflictError, ReviewSession } from "../../src/golden/review/review-session.js";
import { writeFileAtomic } from "../../src/files/atomic-write.js";
import type { Proposal } from "../../src/schema/curation.js";
import { REPO, tempDir } from "../cli/helpers.js";

const DATASET = join(REPO, "datasets/demo/conversations.jsonl");
const BIN = join(REPO, "dist/cli/bin.js");
const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

async function reviewFiles() {
  const dir = tempDir("eb-review-safe-");
  const files = {
    dataset: DATASET,
    golden: join(dir, "golden.jsonl"),
    proposals: join(dir, "proposals.jsonl"),
    labels: join(dir, "labels.jsonl"),
  };
  const { proposals } = await proposeMemories({
    config: join(REPO, "configs/baseline.yaml"),
    dataset: DATASET,
    out: files.proposals,
  });
  return { files, proposals };
}

/** Resolves once `condition` holds, looking again every 10 ms. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The golden file and the proposals file agree: each accepted proposal names a golden memory with its text, and no memory is there twice. */
function expectConsistent(files: { golden: string; proposals: string }): void {
  const golden = lines(files.golden) as Array<{ id: string; text: string }>;
  const byId = new Map(golden.map((m) => [m.id, m]));
  for (const proposal of lines(files.proposals) as Proposal[]) {
    if (proposal.status === "accepted") expect(byId.get(proposal.golden_id!)?.text, proposal.id).toBe(proposal.text);
    else
      expect(
        golden.some((m) => m.text === proposal.text),
        `${proposal.id} is golden but still ${proposal.status}`,
      ).toBe(false);
  }
  expect(new Set(golden.map((m) => m.text)).size).toBe(golden.length);
}

describe("two tabs on one review", () => {
  it("each undoes its own changes only", async () => {
    const { files, proposals } = await reviewFiles();
    const review = new ReviewSession(files);
    const [p1, p2] = proposals;
    review.apply({ op: "accept", proposal_id: p1!.id }, "tab-a");
    review.apply({ op: "label", conversation_id: p2!.conversation_id, text: p2!.text, usefulness: 5 }, "tab-b");
    expect(review.canUndo("tab-a")).toBe(true);
    expect(review.canUndo("tab-c")).toBe(false);
    // Tab A's undo takes back its accept, not tab B's later label.
    review.apply({ op: "undo" }, "tab-a");
    expect(lines(files.golden)).toEqual([]);
    expect(lines(files.labels)).toEqual([{ conversation_id: p2!.conversation_id, text: p2!.text, usefulness: 5 }]);
    expect(review.canUndo("tab-a")).toBe(false);
    review.apply({ op: "undo" }, "tab-b");
    expect(lines(files.labels)).toEqual([]);
  });

  it("refuses an edit made on an older version of a record, with the current one, and an undo of a record changed since", async () => {
    const { files, proposals } = await reviewFiles();
    const review = new ReviewSession(files);
    const p = proposals[0]!;
    const seen = review.versionOf("proposals", p.id);
    expect(seen).toBe(1);
    review.apply(
      { op: "edit_proposal", proposal_id: p.id, fields: { text: "edited in tab A" }, version: seen },
      "tab-a",
    );
    let conflict: unknown;
    try {
      review.apply(
        { op: "edit_proposal", proposal_id: p.id, fields: { text: "edited in tab B" }, version: seen },
        "tab-b",
      );
    } catch (error) {
      conflict = error;
    }
    expect(conflict).toBeInstanceOf(ReviewConflictError);
    expect((conflict as ReviewConflictError).current).toMatchObject({
      collection: "proposals",
      key: p.id,
      version: 2,
      record: { text: "edited in tab A" },
    });
    expect(lines(files.proposals)[0]).toMatchObject({ text: "edited in tab A" });
    // Tab B edits the current version; tab A can no longer undo its edit over it.
    review.apply({ op: "edit_proposal", proposal_id: p.id, fields: { text: "edited in tab B" }, version: 2 }, "tab-b");
    expect(() => review.apply({ op: "undo" }, "tab-a")).toThrow(/cannot undo: .* was changed since in another tab/);
    expect(lines(files.proposals)[0]).toMatchObject({ text: "edited in tab B" });
  });

  it("accepts a proposal once, whatever the number of accepts", async () => {
    const { files, proposals } = await reviewFiles();
    const review = new ReviewSession(files);
    review.apply({ op: "accept", proposal_id: proposals[0]!.id });
    review.apply({ op: "accept", proposal_id: proposals[0]!.id });
    expect(lines(files.golden)).toHaveLength(1);
    expectConsistent(files);
  });
});

describe("a kill during accept", () => {
  // The accept writes the journal, then the golden file, then the proposals file: killed before each write, and after the last.
  it.each([0, 1, 2, 3])(
    "leaves files that agree once the review is opened again (killed after %i writes), and accepting again adds no copy",
    async (writes) => {
      const { files, proposals } = await reviewFiles();
      let done = 0;
      const dying = new ReviewSession(files, {
        write: (path, content) => {
          if (done++ === writes) throw new Error("killed");
          writeFileAtomic(path, content);
        },
      });
      const p = proposals[0]!;
      const accept = () => dying.apply({ op: "accept", proposal_id: p.id });
      if (writes < 3) expect(accept).toThrow("killed");
      else accept();

      const reopened = new ReviewSession(files);
      expect(existsSync(journalPath(reopened.files.golden))).toBe(false);
      expectConsistent(files);
      expect(lines(files.golden)).toHaveLength(writes === 0 ? 0 : 1);
      reopened.apply({ op: "accept", proposal_id: p.id });
      expect(lines(files.golden)).toHaveLength(1);
      expectConsistent(files);
    },
  );

  it.runIf(existsSync(BIN) && process.platform !== "win32")(
    "leaves files that agree when the server process is killed between the golden and the proposals file",
    async () => {
      const { files, proposals } = await reviewFiles();
      const child = spawn(
        process.execPath,
        [BIN, "golden", "review", "--dataset", files.dataset, "--golden", files.golden, "--proposals", files.proposals],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = "";
          child.stdout!.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const match = /Review at (\S+)/.exec(out);
            if (match) resolve(match[1]!);
          });
          child.once("exit", (code) => reject(new Error(`review exited with ${code}: ${out}`)));
        });
        // The proposals file's temporary file, made a FIFO that nobody reads: opening it to write blocks
        // the server for good once the golden file is written, so the kill lands between the two files.
        execFileSync("mkfifo", [`${files.proposals}.${child.pid}.tmp`]);
        const accept = fetch(`${url}api/action`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ op: "accept", proposal_id: proposals[0]!.id, version: 1 }),
        }).catch(() => "connection closed");
        await until(() => lines(files.golden).length === 1);
        expect(lines(files.proposals)[0]).toMatchObject({ status: "proposed" });
        const exited = new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
        child.kill("SIGKILL");
        expect(await exited).toBe("SIGKILL");
        expect(await accept).toBe("connection closed");
      } finally {
        child.kill("SIGKILL");
      }
      const reopened = new ReviewSession(files);
      expectConsistent(files);
      expect(lines(files.proposals)[0]).toMatchObject({ status: "accepted", golden_id: lines(files.golden)[0].id });
      reopened.apply({ op: "accept", proposal_id: proposals[0]!.id });
      expect(lines(files.golden)).toHaveLength(1);
    },
  );
});

describe("the review server", () => {
  let server: ReviewServer;
  let proposals: Proposal[];
  beforeAll(async () => {
    const made = await reviewFiles();
    proposals = made.proposals;
    server = await startReviewServer(made.files);
  });
  afterAll(() => server.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (response: Response) => (await response.json()) as Record<string, any>;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}api/action`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("answers 404 to paths that name properties every object has", async () => {
    for (const path of ["constructor", "__proto__", "toString", "hasOwnProperty", "api/__proto__"]) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${new URL(server.url).origin}/__proto__`)).status).toBe(403);
  });

  it("refuses requests another site's page makes, by Origin and by Sec-Fetch-Site", async () => {
    const action = {
      op: "label",
      conversation_id: proposals[0]!.conversation_id,
      text: proposals[0]!.text,
      usefulness: 3,
      version: 0,
    };
    expect((await post(action, { Origin: "http://evil.example" })).status).toBe(403);
    expect((await post(action, { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post(action, { "Sec-Fetch-Site": "same-site" })).status).toBe(403);
    expect((await fetch(`${server.url}api/state`, { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await post(action, { Origin: new URL(server.url).origin, "Sec-Fetch-Site": "same-origin" })).status).toBe(
      200,
    );
  });

  it("answers 409 with the current record to an edit of a stale version, and 400 to an edit without one", async () => {
    const p = proposals[1]!;
    const first = await post(
      { op: "edit_proposal", proposal_id: p.id, fields: { text: "first edit" }, version: 1 },
      { "X-Review-Client": "tab-a" },
    );
    expect(first.status).toBe(200);
    expect((await json(first)).versions.proposals[p.id]).toBe(2);
    const stale = await post(
      { op: "edit_proposal", proposal_id: p.id, fields: { text: "stale edit" }, version: 1 },
      { "X-Review-Client": "tab-b" },
    );
    expect(stale.status).toBe(409);
    const body = await json(stale);
    expect(body.current).toMatchObject({ version: 2, record: { id: p.id, text: "first edit" } });
    expect(body.state.proposals.find((q: Proposal) => q.id === p.id).text).toBe("first edit");
    const unversioned = await post({ op: "edit_proposal", proposal_id: p.id, fields: { text: "no version" } });
    expect(unversioned.status).toBe(400);
    expect((await json(unversioned)).error).toMatch(/needs the version/);
  });

  it("keeps each tab's undo to itself", async () => {
    const p = proposals[2]!;
    const q = proposals[3]!;
    await post({ op: "reject", proposal_id: p.id, version: 1 }, { "X-Review-Client": "tab-c" });
    await post({ op: "reject", proposal_id: q.id, version: 1 }, { "X-Review-Client": "tab-d" });
    const undone = await post({ op: "undo" }, { "X-Review-Client": "tab-c" });
    const state = await json(undone);
    expect(state.proposals.find((r: Proposal) => r.id === p.id).status).toBe("proposed");
    expect(state.proposals.find((r: Proposal) => r.id === q.id).status).toBe("rejected");
    expect(state.can_undo).toBe(false);
    expect(
      (await json(await fetch(`${server.url}api/state`, { headers: { "X-Review-Client": "tab-d" } }))).can_undo,
    ).toBe(true);
  });

  it("answers 413 to a body over the limit, said up front or streamed, rather than cutting the connection", async () => {
    const big = await post({ op: "add_golden", conversation_id: "x", fields: { text: "x".repeat(MAX_BODY_BYTES) } });
    expect(big.status).toBe(413);
    // 64 MiB sent in chunks without a length: the server reads it to the end and answers 413.
    const url = new URL(`${server.url}api/action`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        { method: "POST", headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 64) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", more);
        }
        req.end();
      };
      more();
    });
    expect(status).toBe(413);
  });
});
