// Small statistics helpers: every figure in the report is a median over rounds, and the
// regeneration benchmark fits a power law (time ~ size^k) to say how time grows with size.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Slope of the least-squares line through (log x, log y): the k in y ~ x^k. */
export function growthExponent(points: ReadonlyArray<{ x: number; y: number }>): number | undefined {
  const usable = points.filter((p) => p.x > 0 && p.y > 0);
  if (usable.length < 2) return undefined;
  const xs = usable.map((p) => Math.log(p.x));
  const ys = usable.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? undefined : num / den;
}

/** Milliseconds elapsed since `start` (a process.hrtime.bigint() reading). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Least-squares line y = fixed + perUnit * x. */
export function linearFit(points: ReadonlyArray<{ x: number; y: number }>): { fixed: number; perUnit: number } | undefined {
  if (points.length < 2) return undefined;
  const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  if (den === 0) return undefined;
  const perUnit = num / den;
  return { fixed: my - perUnit * mx, perUnit };
}
