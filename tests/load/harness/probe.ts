import { percentiles } from './load.ts';

/**
 * Sequential cheap reads (the baseline route) until stopped: their latency shows a blocked event
 * loop or a starved database while something heavy runs (an export, a burst of uploads).
 */
export function startProbe(base: string, token: string) {
  const samples: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const ok = await fetch(`${base}/api/v1/bench/baseline`, { headers: { authorization: `Bearer ${token}` } })
        .then(async (r) => {
          await r.arrayBuffer();
          return r.ok;
        })
        .catch(() => false);
      if (ok) samples.push(performance.now() - t);
      else failures++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { ...percentiles(samples), failures };
    },
  };
}
