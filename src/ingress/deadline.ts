/**
 * The one deadline of the hooks and the MCP proxy. The timer lives on the calling thread and the
 * analysis does not (see analysis-pool.ts): a regex or a CEL condition that runs for minutes keeps
 * its worker busy, not this thread, so `late` is answered on time and `signal` ends the analysis.
 */
export function beforeDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  late: () => T,
): Promise<T> {
  const expired = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const lateAnswer = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      resolve(late());
      expired.abort(new Error(`the deadline of ${ms} ms passed`));
    }, ms);
  });
  return Promise.race([work(expired.signal), lateAnswer]).finally(() => clearTimeout(timer));
}
