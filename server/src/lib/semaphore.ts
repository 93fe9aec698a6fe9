/** At most `n` calls of `run` at once; the others wait in arrival order. */
export function createSemaphore(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active < n) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, so `active` counts it already.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
