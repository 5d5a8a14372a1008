/** Cutting long output down for a report. */

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** The last lines of a log, for a failure report. */
export function tail(text: string, lines = 25): string {
  return text.split("\n").slice(-lines).join("\n");
}
