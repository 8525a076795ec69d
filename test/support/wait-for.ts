// Waits for a condition a test cannot await directly (a step reported, a request arrived at a fake), polling it.
// The timeout only turns a hang into a readable failure; it never decides a result.
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
