/**
 * Runs `task` over `items`, at most `limit` at a time, and starts no more once `stop()` is true
 * or a task failed. Settles only when no task is running (so a clean-up after it races with
 * nothing), then throws the first failure. The one pool of the project: the upload engine's
 * sending and split's copying both run on it.
 */
export async function runPool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop() && !failure) {
      try {
        await task(items[next++]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}
