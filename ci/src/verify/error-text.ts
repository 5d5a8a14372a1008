/**
 * Errors from the engine as report text. A failed command (the SDK's ExecError) carries its
 * stdout and stderr; they are read by shape, so that this file needs no engine.
 */
import { clip, tail } from "./text.js";

interface CommandFailure {
  message: string;
  stdout: string;
  stderr: string;
}

function commandFailure(e: unknown): CommandFailure | undefined {
  if (!(e instanceof Error)) return undefined;
  const f = e as Error & Partial<CommandFailure>;
  return typeof f.stdout === "string" && typeof f.stderr === "string" ? (f as CommandFailure) : undefined;
}

/** What a failed step printed (a failed command's stdout and stderr), else the error's message. */
export function failureOutput(e: unknown): string {
  const f = commandFailure(e);
  if (f) return `${f.stdout}\n${f.stderr}`;
  return e instanceof Error ? e.message : String(e);
}

/** One line for a report's "got": the error's first line and, for a failed command, its last stderr line. */
export function errorLine(e: unknown): string {
  const first = withoutTraceIds(e instanceof Error ? e.message : String(e)).split("\n")[0];
  const last = commandFailure(e)?.stderr.trim().split("\n").pop();
  return clip(last ? `${first}: ${last}` : first, 400);
}

/** A readable text for any error from the engine; a failed command gives its output. */
export function errorText(e: unknown): string {
  const f = commandFailure(e);
  if (f) return [withoutTraceIds(f.message), f.stdout, f.stderr].filter(Boolean).join("\n");
  return withoutTraceIds(e instanceof Error ? e.message : String(e));
}

/** The last lines of an error's text, for a report's log tail. */
export function errorTail(e: unknown): string {
  return tail(errorText(e));
}

/** The engine appends " [traceparent:<trace>-<span>]" to an error once per layer it passes. */
export function withoutTraceIds(message: string): string {
  return message.replace(/ ?\[traceparent:[0-9a-f]+-[0-9a-f]+\]/g, "");
}
