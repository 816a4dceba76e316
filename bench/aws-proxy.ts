/**
 * What the AWS endpoint adds to a small call: DynamoDB GetItem and S3 HeadObject with the JavaScript
 * SDK v3, against moto_server directly and through `airlock serve --aws-listen` (the bundle), with
 * reads forwarded at once (the default) and with `aws.readEntryDelayMs: 0` (every call waits for its
 * durable entry), interleaved call by call so that the noise of a shared machine falls on all alike; throughput at 16
 * concurrent clients; and airlock's peak memory while a 1 GiB S3 object streams through it (and the
 * time of that transfer beside the same transfer made directly).
 */
import { Readable } from "node:stream";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { makeAgent, peakRss, startAwsAirlock, startMoto, UPSTREAM_ENV } from "../test/ingress/aws/harness.js";

interface Latency {
  p50: number;
  p99: number;
}

function percentiles(values: number[]): Latency {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Each round calls direct and every proxied path once, in an order that rotates from round to round,
 * so the noise falls on all alike; `added` is each proxied call's time minus the same round's direct one.
 */
async function interleaved(
  direct: () => Promise<unknown>,
  proxied: Record<string, () => Promise<unknown>>,
  calls: number,
) {
  const paths: [string, () => Promise<unknown>][] = [["direct", direct], ...Object.entries(proxied)];
  for (let i = 0; i < 50; i++) for (const [, call] of paths) await call();
  const times = new Map<string, number[]>(paths.map(([name]) => [name, []]));
  const added = new Map<string, number[]>(Object.keys(proxied).map((name) => [name, []]));
  for (let i = 0; i < calls; i++) {
    const round = new Map<string, number>();
    for (let j = 0; j < paths.length; j++) {
      const [name, call] = paths[(i + j) % paths.length] as [string, () => Promise<unknown>];
      round.set(name, await timed(call));
    }
    for (const [name, t] of round) times.get(name)?.push(t);
    for (const [name, list] of added) list.push((round.get(name) ?? 0) - (round.get("direct") ?? 0));
  }
  const of = (m: Map<string, number[]>): Record<string, Latency | undefined> =>
    Object.fromEntries([...m].map(([name, list]) => [name, percentiles(list)]));
  return { times: of(times), added: of(added) };
}

async function throughput(call: () => Promise<unknown>, clients: number, perClient: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) await call();
    }),
  );
  return (clients * perClient) / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Prints each figure as soon as it is measured (the 1 GiB transfer through moto takes minutes). */
export async function benchAwsProxy(
  calls = Number(process.env.BENCH_AWS_CALLS ?? 500),
  say: (line: string) => void = console.log,
): Promise<void> {
  const moto = await startMoto();
  const airlock = await startAwsAirlock(moto.url);
  // The same, with every call (reads too) forwarded only once its audit entry is durable.
  const durable = await startAwsAirlock(moto.url, { extraYaml: "  readEntryDelayMs: 0\n" });
  try {
    const agent = makeAgent(airlock.dataDir, "bench-agent", "bench-person");
    const durableAgent = makeAgent(durable.dataDir, "bench-agent", "bench-person");
    const real = {
      accessKeyId: UPSTREAM_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: UPSTREAM_ENV.AWS_SECRET_ACCESS_KEY,
    };
    const make = <T>(C: new (c: object) => T, endpoint: string, credentials: object) =>
      new C({
        endpoint,
        region: "us-east-1",
        credentials,
        forcePathStyle: true,
        maxAttempts: 1,
        requestHandler: { requestTimeout: 30_000 },
      });
    const ddb = {
      direct: make(DynamoDBClient, moto.url, real),
      proxied: make(DynamoDBClient, airlock.awsUrl, agent),
      durable: make(DynamoDBClient, durable.awsUrl, durableAgent),
    };
    const s3 = {
      direct: make(S3Client, moto.url, real),
      proxied: make(S3Client, airlock.awsUrl, agent),
      durable: make(S3Client, durable.awsUrl, durableAgent),
    };
    await ddb.direct.send(
      new CreateTableCommand({
        TableName: "dev-bench",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      }),
    );
    await ddb.direct.send(
      new PutItemCommand({ TableName: "dev-bench", Item: { id: { S: "a" }, v: { S: "x" } } }),
    );
    await s3.direct.send(new CreateBucketCommand({ Bucket: "dev-bench" }));
    await s3.direct.send(new PutObjectCommand({ Bucket: "dev-bench", Key: "k", Body: "x" }));
    const getItem = (c: DynamoDBClient) => () =>
      c.send(new GetItemCommand({ TableName: "dev-bench", Key: { id: { S: "a" } } }));
    const headObject = (c: S3Client) => () =>
      c.send(new HeadObjectCommand({ Bucket: "dev-bench", Key: "k" }));
    const progress = (step: string) => process.stderr.write(`aws bench: ${step}\n`);
    const ms = (n: number) => `${n.toFixed(3)} ms`;
    const both = (l: Latency | undefined) => (l ? `p50 ${ms(l.p50)}  p99 ${ms(l.p99)}` : "(none)");
    const line = (name: string, f: Awaited<ReturnType<typeof interleaved>>) =>
      [
        `  ${name}`,
        `    direct                      ${both(f.times.direct)}`,
        `    airlock                     ${both(f.times.airlock)}`,
        `    added                       ${both(f.added.airlock)}  (target p50 ≤ 2 ms, p99 ≤ 10 ms)`,
        `    airlock, readEntryDelayMs 0 ${both(f.times.durable)}`,
        `    added, readEntryDelayMs 0   ${both(f.added.durable)}`,
      ].join("\n");
    say(`AWS endpoint, ${calls} interleaved calls each, JavaScript SDK v3 against moto_server:`);
    progress("interleaved GetItem and HeadObject");
    say(
      line(
        "DynamoDB GetItem",
        await interleaved(
          getItem(ddb.direct),
          { airlock: getItem(ddb.proxied), durable: getItem(ddb.durable) },
          calls,
        ),
      ),
    );
    say(
      line(
        "S3 HeadObject",
        await interleaved(
          headObject(s3.direct),
          { airlock: headObject(s3.proxied), durable: headObject(s3.durable) },
          calls,
        ),
      ),
    );
    progress("16 concurrent clients");
    const perClient = Number(process.env.BENCH_AWS_PER_CLIENT ?? 10);
    const tpDirect = await throughput(getItem(ddb.direct), 16, perClient);
    const tpProxied = await throughput(getItem(ddb.proxied), 16, perClient);
    say(
      `  GetItem at 16 concurrent clients: direct ${tpDirect.toFixed(0)}/s, airlock ${tpProxied.toFixed(0)}/s (${(tpProxied / tpDirect).toFixed(2)}×)`,
    );

    // A 1 GiB object up and down, directly and through airlock: airlock's peak resident memory while
    // it streams (VmHWM, reset by nothing, so it is read before and after), and the time of each path.
    const mib = Number(process.env.BENCH_AWS_STREAM_MIB ?? 1024);
    const size = mib * 1024 * 1024;
    const block = Buffer.alloc(1 << 20, "a");
    const body = () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < mib; i++) yield block;
        })(),
      );
    const roundTrip = async (c: S3Client, key: string) => {
      const t0 = process.hrtime.bigint();
      await c.send(
        new PutObjectCommand({ Bucket: "dev-bench", Key: key, Body: body(), ContentLength: size }),
      );
      const got = await c.send(new GetObjectCommand({ Bucket: "dev-bench", Key: key }));
      let n = 0;
      for await (const chunk of got.Body as Readable) n += (chunk as Buffer).length;
      if (n !== size) throw new Error(`read ${n} bytes of ${size}`);
      return Number(process.hrtime.bigint() - t0) / 1e9;
    };
    progress(`${mib} MiB through S3, directly`);
    const directSeconds = await roundTrip(s3.direct, "big-direct");
    progress(`${mib} MiB through S3, through airlock`);
    const before = peakRss(airlock.pid);
    const proxiedSeconds = await roundTrip(s3.proxied, "big");
    const after = peakRss(airlock.pid);

    say(
      `  ${mib} MiB S3 object up and down: direct ${directSeconds.toFixed(1)} s, through airlock ${proxiedSeconds.toFixed(1)} s (${(proxiedSeconds / directSeconds).toFixed(2)}×); airlock's peak RSS ${(before / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB, ${(((after - before) / size) * 100).toFixed(2)} % of the bytes streamed`,
    );
  } finally {
    await airlock.stop();
    await durable.stop();
    await moto.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchAwsProxy();
}
