// The shape each benchmark hands to the report: a table for people, raw numbers for JSON, and
// its targets evaluated (a missed target is reported, never a failure of the run).

export interface Target {
  description: string;
  /** undefined when it could not be evaluated (smoke mode, or a variant that did not run). */
  met: boolean | undefined;
  detail: string;
}

export interface Section {
  id: number;
  title: string;
  /** One-line description of what was run, with the sizes used. */
  setup: string;
  headers: string[];
  rows: string[][];
  targets: Target[];
  notes: string[];
  data: Record<string, unknown>;
}

export function target(description: string, met: boolean | undefined, detail: string): Target {
  return { description, met, detail };
}

export function fmt(value: number | undefined, digits = 2): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  return value.toFixed(digits);
}
