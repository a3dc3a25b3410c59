/**
 * Times in UTC: a DM is read in any time zone, and Slack's own date formatting
 * (`<!date^…>`) would put a `<!` construct into text that is otherwise escaped.
 */

/** `14:05 UTC` for epoch milliseconds. */
export function utcTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
}

/** `2026-08-21` for epoch milliseconds. */
export function utcDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
