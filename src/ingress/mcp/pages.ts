/** Something that can send the proxy's own requests to a server (an UpstreamLink). */
export interface Caller {
  call(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** A bound on a server that keeps answering with a next cursor. */
const MAX_PAGES = 100;

/** Every page of a paginated list method (tools/list, prompts/list, …), by the proxy's own requests. */
export async function allPages<T>(caller: Caller, method: string, key: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await caller.call(method, cursor !== undefined ? { cursor } : undefined);
    if (Array.isArray(result[key])) all.push(...(result[key] as T[]));
    cursor = typeof result.nextCursor === "string" ? result.nextCursor : undefined;
    if (cursor === undefined) break;
  }
  return all;
}
