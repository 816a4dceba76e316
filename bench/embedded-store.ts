/**
 * The benches the embedded store's speed shows in, alone (`npx tsx bench/embedded-store.ts`): durable
 * appends, the stores side by side, POST /v1/actions, the PostgreSQL proxy and the AWS endpoint. The
 * same pieces as `npm run bench`, smaller, for a before/after of a change to the store.
 */
import { benchAudit } from "./audit.js";
import { benchAwsProxy } from "./aws-proxy.js";
import { benchPgProxy, formatPgProxyFigures } from "./pg-proxy.js";
import { benchServe } from "./serve.js";
import { benchStores } from "./store.js";

const n = Number(process.env.BENCH_ACTIONS ?? 20_000);
await benchAudit({ durable: n, verify: Number(process.env.BENCH_AUDIT_VERIFY ?? 100_000) });
await benchStores(n);
await benchServe(n);
console.log(formatPgProxyFigures(await benchPgProxy()));
process.env.BENCH_AWS_STREAM_MIB ??= "16";
await benchAwsProxy();
