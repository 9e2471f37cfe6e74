/**
 * BENCH_SCALE shrinks (or grows) the synthetic national data set, e.g. BENCH_SCALE=0.01 to try a suite in a minute on
 * a shared machine; the figures are then not those the targets were set for.
 */
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);

export const scaled = (count: number) => Math.max(1, Math.round(count * SCALE));
