import type { Params } from "../params.js";
import { all, textAt } from "../xml.js";
import { queryApiXml } from "./query.js";
import type { Preview, PreviewContext, PreviewRow } from "./registry.js";

const EC2 = { service: "ec2", version: "2016-11-15" };

/** The instances named, and each one's EBS volumes: deleted with it (DeleteOnTermination) or kept. */
export async function terminateInstances(params: Params, ctx: PreviewContext): Promise<Preview> {
  const ids = Array.isArray(params.InstanceIds) ? params.InstanceIds.map(String) : [];
  const read = queryApiXml(ctx, EC2);
  const call = (action: string, list: string, values: string[]) =>
    read(action, Object.fromEntries(values.map((v, i) => [`${list}.${i + 1}`, v])));
  const xml = await call("DescribeInstances", "InstanceId", ids);
  const instances = all(xml, "reservationSet", "item", "instancesSet", "item");
  const rows: PreviewRow[] = [];
  const volumes: { instance: string; volumeId: string; device: string; deleted: boolean }[] = [];
  for (const i of instances) {
    const id = textAt(i, "instanceId");
    const name = all(i, "tagSet", "item").find((t) => textAt(t, "key") === "Name");
    rows.push({
      type: "AWS::EC2::Instance",
      id,
      name: name ? textAt(name, "value") : "",
      instanceType: textAt(i, "instanceType"),
      state: textAt(i, "instanceState", "name"),
    });
    for (const b of all(i, "blockDeviceMapping", "item"))
      volumes.push({
        instance: id,
        volumeId: textAt(b, "ebs", "volumeId"),
        device: textAt(b, "deviceName"),
        deleted: textAt(b, "ebs", "deleteOnTermination") === "true",
      });
  }
  const sizes = new Map<string, number>();
  if (volumes.length > 0) {
    const v = await call(
      "DescribeVolumes",
      "VolumeId",
      volumes.map((x) => x.volumeId),
    );
    for (const item of all(v, "volumeSet", "item"))
      sizes.set(textAt(item, "volumeId"), Number(textAt(item, "size") || 0));
  }
  for (const v of volumes)
    rows.push({
      type: "AWS::EC2::Volume",
      id: v.volumeId,
      instance: v.instance,
      device: v.device,
      sizeGiB: sizes.get(v.volumeId) ?? 0,
      deletedWithInstance: v.deleted,
    });
  const missing = ids.filter((id) => !instances.some((i) => textAt(i, "instanceId") === id));
  const lost = volumes.filter((v) => v.deleted);
  return {
    operation: "ec2:TerminateInstances",
    summary: `terminates ${instances.length} instance${instances.length === 1 ? "" : "s"}; ${lost.length} of ${volumes.length} EBS volume${volumes.length === 1 ? "" : "s"} (${lost.reduce((s, v) => s + (sizes.get(v.volumeId) ?? 0), 0)} GiB) are deleted with them${missing.length ? `; not found upstream: ${missing.join(", ")}` : ""}`,
    resources: rows,
  };
}
