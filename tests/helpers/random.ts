/**
 * A seeded generator for randomised tests (mulberry32): the seed comes from `envVar` when set (replay), else from
 * the clock, and is printed so that a failure can be replayed.
 */
export function seededRandom(envVar: string, name: string) {
  const seed = Number(process.env[envVar] ?? Date.now() % 100_000);
  console.log(`${name} seed: ${seed} (${envVar}=${seed} to replay)`);
  let calls = 0;
  const random = () => {
    let t = (seed + calls++ * 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer from 0 to `max`, both included. */
  const upTo = (max: number) => Math.floor(random() * (max + 1));
  return { seed, random, upTo };
}
