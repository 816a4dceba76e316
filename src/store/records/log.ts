import * as z from "zod/mini";
import "../../action/zod.js";

/** An audit entry as a store keeps it: its position, its exact bytes and the leaf hash stored beside them. */
export const StoredEntry = z.object({
  index: z.int().check(z.minimum(0)),
  bytes: z.string(),
  leafHash: z.custom<Buffer>((v) => Buffer.isBuffer(v) && v.length === 32, "a leaf hash is 32 bytes"),
});
export type StoredEntry = z.infer<typeof StoredEntry>;

/** A signed checkpoint (C2SP signed note) of the log's first `size` entries. */
export const Checkpoint = z.object({
  size: z.int().check(z.minimum(0)),
  note: z.string(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;
