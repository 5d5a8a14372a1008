/**
 * What the stand-in learns from a run's progress lines while they pass to stderr: how many
 * checks each image planned and which finished, so that a run cut short by the engine can say
 * how far it got (the lines' format: ci/src/verify/progress.ts).
 */
import { Writable } from "node:stream";
import { parseProgressLine } from "../../ci/src/verify/progress.js";
import { OUTCOMES, type CheckResult } from "../../ci/src/verify/results.js";

export class ProgressTracker extends Writable {
  readonly planned = new Map<string, number>();
  readonly finished: Pick<CheckResult, "name" | "image" | "outcome" | "seconds">[] = [];
  private partial = "";

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.out.write(chunk);
    const lines = (this.partial + chunk.toString()).split("\n");
    this.partial = lines.pop() ?? "";
    for (const l of lines) {
      const ev = parseProgressLine(l, OUTCOMES);
      if (!ev) continue;
      if ("planned" in ev) this.planned.set(ev.image, ev.planned);
      else this.finished.push({ ...ev.result, image: ev.image });
    }
    done();
  }

  /** "18 of 33 checks", or undefined before any image was planned. */
  howFar(): string | undefined {
    if (!this.planned.size) return undefined;
    const total = [...this.planned.values()].reduce((a, b) => a + b, 0);
    return `${this.finished.length} of ${total} checks`;
  }
}
