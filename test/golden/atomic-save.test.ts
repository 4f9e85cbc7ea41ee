import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, tempDir } from "../cli/helpers.js";

const BIN = join(REPO, "dist/cli/bin.js");

/** The review server's URL, read from its first line of output. */
function urlOf(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Review at (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`review exited with ${code} before serving: ${out}`)));
  });
}

describe.runIf(existsSync(BIN) && process.platform !== "win32")("saving during review", () => {
  it("leaves the previous golden file intact when the server is killed mid-save", async () => {
    const dir = tempDir("eb-atomic-");
    const dataset = join(dir, "conversations.jsonl");
    const golden = join(dir, "golden.jsonl");
    writeFileSync(
      dataset,
      `${JSON.stringify({ id: "c1", scope: { namespace: "user:anna" }, turns: [{ id: "t1", speaker: "Anna", text: "I live in Lisbon." }] })}\n`,
    );
    // Larger than a pipe's buffer (64 KiB), so the save blocks part-way through writing.
    const memories = Array.from({ length: 900 }, (_, i) => ({
      id: `m${i}`,
      conversation_id: "c1",
      text: `Anna lives in Lisbon, wording number ${i} of a long golden set`,
      evidence: ["t1"],
    }));
    const before = memories.map((m) => `${JSON.stringify(m)}\n`).join("");
    writeFileSync(golden, before);

    const child = spawn(process.execPath, [BIN, "golden", "review", "--dataset", dataset, "--golden", golden], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await urlOf(child);
      // The save's temporary file, made a FIFO: the server's write stalls once the pipe is full.
      const temporary = `${golden}.${child.pid}.tmp`;
      execFileSync("mkfifo", [temporary]);
      const reader = open(temporary, "r");
      const save = fetch(`${url}api/action`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          op: "add_golden",
          conversation_id: "c1",
          fields: { text: "Anna is moving to Porto", evidence: ["t1"] },
        }),
      }).catch(() => "connection closed");
      const fifo = await reader;
      const { buffer, bytesRead } = await fifo.read({ buffer: Buffer.alloc(4096) });
      // The server is writing the new file right now.
      expect(buffer.subarray(0, bytesRead).toString()).toBe(before.slice(0, bytesRead));

      const exited = new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      await fifo.close();
      expect(await save).toBe("connection closed");
      expect(readFileSync(golden, "utf8")).toBe(before);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
