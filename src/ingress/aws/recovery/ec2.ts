import { queryCall } from "../upstream-call.js";
import { all, parseXml, textAt } from "../xml.js";
import type { RecoveryKind, RecoveryPoint } from "./registry.js";

const VERSION = "2016-11-15";

/** EC2 TerminateInstances: an EBS snapshot of every volume of every named instance, taken first. */
export const ebsSnapshots: RecoveryKind = {
  plan: () => ({ plan: "airlock takes an EBS snapshot of every volume of the instances first" }),
  async take(params, ctx) {
    const ids = Array.isArray(params.InstanceIds) ? params.InstanceIds.map(String) : [];
    const call = (action: string, p: Record<string, string>) =>
      queryCall(ctx.credentials, ctx.endpoint, {
        timeoutMs: ctx.timeoutMs,
        service: "ec2",
        region: ctx.region,
        action,
        version: VERSION,
        params: p,
      });
    const xml = parseXml(
      await call("DescribeInstances", Object.fromEntries(ids.map((id, i) => [`InstanceId.${i + 1}`, id]))),
    );
    const points: RecoveryPoint[] = [];
    for (const instance of all(xml, "reservationSet", "item", "instancesSet", "item")) {
      const id = textAt(instance, "instanceId");
      const zone = textAt(instance, "placement", "availabilityZone");
      for (const b of all(instance, "blockDeviceMapping", "item")) {
        const volume = textAt(b, "ebs", "volumeId");
        if (!volume) continue;
        const snap = parseXml(
          await call("CreateSnapshot", {
            VolumeId: volume,
            Description: `airlock ${ctx.requestId}: ${volume} (${textAt(b, "deviceName")}) of ${id} before TerminateInstances`,
          }),
        );
        const snapshot = textAt(snap, "snapshotId");
        if (!snapshot) throw new Error(`CreateSnapshot of ${volume} returned no snapshotId`);
        points.push({
          kind: "EBS snapshot",
          id: snapshot,
          of: `${volume} (${textAt(b, "deviceName")} of ${id})`,
          restore: `aws ec2 create-volume --snapshot-id ${snapshot} --availability-zone ${zone || "ZONE"}`,
        });
      }
    }
    return { points };
  },
};
