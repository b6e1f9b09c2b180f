// The per-operation facts the project knows about CyberArk operations, the vendor extension each one is written
// as, its default, and its validity rule: one table for the knowledge files, the metadata step and the change
// report.
import { isObject } from "./json-types.js";

export const DEPLOYMENTS = ["both", "self-hosted", "privilege-cloud"] as const;
export const PAGING_STYLES = ["nextLink", "offset", "unpaged"] as const;

export const FACT_EXTENSIONS = {
  minVersion: "x-cyberark-min-version",
  maxVersion: "x-cyberark-max-version",
  deployment: "x-cyberark-deployment",
  secretChange: "x-cyberark-secret-change",
  paging: "x-cyberark-paging",
  unconfirmed: "x-cyberark-unconfirmed",
} as const;

export type Fact = keyof typeof FACT_EXTENSIONS;
export const FACTS = Object.keys(FACT_EXTENSIONS) as Fact[];

/** What an absent fact means. */
export const FACT_DEFAULTS: Partial<Record<Fact, unknown>> = { deployment: "both", secretChange: false };

const PAGING_STRING_KEYS = ["items", "total", "offsetParam", "limitParam"];

function pagingProblems(paging: unknown): string[] {
  if (!isObject(paging)) return ["must be an object"];
  const problems: string[] = [];
  if (!(PAGING_STYLES as readonly unknown[]).includes(paging["style"])) problems.push(`style must be one of ${PAGING_STYLES.join(", ")}`);
  if (paging["items"] === undefined) problems.push("items (the list's property name) must be a string");
  for (const key of Object.keys(paging)) {
    if (key === "style") continue;
    if (PAGING_STRING_KEYS.includes(key)) {
      if (typeof paging[key] !== "string") problems.push(`${key} must be a string`);
    } else if (key === "maxLimit") {
      const v = paging[key];
      if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) problems.push("maxLimit must be a positive integer");
    } else problems.push(`unknown key "${key}"`);
  }
  return problems;
}

/** Why a value is not valid for the fact, or undefined when it is. */
export function factProblem(fact: Fact, value: unknown): string | undefined {
  switch (fact) {
    case "minVersion":
    case "maxVersion":
      // Strings only: as a JSON number 14.10 would silently become 14.1.
      return typeof value === "string" && /^\d+(\.\d+)*$/.test(value) ? undefined : `must be a version string like "14.2", got ${JSON.stringify(value)}`;
    case "deployment":
      return (DEPLOYMENTS as readonly unknown[]).includes(value) ? undefined : `must be one of ${DEPLOYMENTS.join(", ")}, got ${JSON.stringify(value)}`;
    case "secretChange":
      return typeof value === "boolean" ? undefined : `must be true or false, got ${JSON.stringify(value)}`;
    case "paging": {
      const problems = pagingProblems(value);
      return problems.length === 0 ? undefined : problems.join("; ");
    }
    case "unconfirmed":
      return typeof value === "string" ? undefined : `must be a string, got ${JSON.stringify(value)}`;
  }
}
