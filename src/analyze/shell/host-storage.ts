import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** Volumes, RAID, device-mapper and file systems on this host (wipefs and sgdisk are in fs-commands.ts). */
export const HOST_STORAGE: Record<string, Handler> = serviceFamily(
  `
lvremove | delete irreversible host | stateful data-loss | deletes the logical volume and its data
vgremove | delete irreversible host | stateful data-loss | deletes the volume group and every volume in it
pvremove | delete irreversible host | stateful data-loss | wipes the physical volume's label
lvreduce | delete irreversible host | stateful data-loss | shrinks the volume: data past the new end is lost
lvresize | write irreversible host | stateful | resizes the volume (shrinking loses data)
vgreduce | write irreversible host | stateful | removes a physical volume from the group
lvcreate | write reversible resource | | creates a volume
lvs | read reversible none | | lists volumes
vgs | read reversible none | | lists groups
pvs | read reversible none | | lists physical volumes
lvdisplay | read reversible none | | reads volumes
vgdisplay | read reversible none | | reads groups
pvdisplay | read reversible none | | reads physical volumes
mdadm --zero-superblock | delete irreversible host | stateful data-loss | erases the RAID metadata on the devices
mdadm --create | delete irreversible host | stateful data-loss | builds an array over the devices, overwriting them
mdadm -C | delete irreversible host | stateful data-loss | builds an array over the devices, overwriting them
mdadm --stop | write recoverable host | outage | stops the array
mdadm -S | write recoverable host | outage | stops the array
mdadm --fail | write recoverable host | | marks a device failed
mdadm --remove | write recoverable host | | removes a device from the array
mdadm --grow | write irreversible host | stateful | reshapes the array
mdadm --detail | read reversible none | | reads the array
mdadm -D | read reversible none | | reads the array
mdadm --examine | read reversible none | | reads the devices
mdadm -E | read reversible none | | reads the devices
dmsetup remove | write recoverable host | outage | removes the mapping: its users lose the device
dmsetup remove_all | write recoverable host | outage | removes every mapping
dmsetup wipe_table | delete irreversible host | outage | replaces the table with one that errors every read
dmsetup ls | read reversible none | | lists mappings
dmsetup info | read reversible none | | reads mappings
dmsetup status | read reversible none | | reads mappings
dmsetup table | read reversible none | | reads mappings
btrfs subvolume delete | delete irreversible host | stateful data-loss | deletes the subvolume and its files
btrfs device delete | write irreversible host | stateful | removes a device from the file system
btrfs device remove | write irreversible host | stateful | removes a device from the file system
btrfs check --repair | write irreversible host | stateful data-loss | rewrites the file system's metadata
btrfs rescue | write irreversible host | stateful | rewrites the file system's metadata
btrfs filesystem resize | write irreversible host | stateful | resizes the file system
btrfs balance | write recoverable host | | rebalances the file system
btrfs subvolume list | read reversible none | | lists subvolumes
btrfs subvolume show | read reversible none | | reads a subvolume
btrfs filesystem show | read reversible none | | reads file systems
btrfs filesystem df | read reversible none | | reads usage
btrfs filesystem usage | read reversible none | | reads usage
btrfs device stats | read reversible none | | reads device stats
zfs destroy | delete irreversible host | stateful data-loss | destroys the dataset or snapshot
zfs rollback | delete irreversible host | stateful data-loss | discards everything written since the snapshot
zpool destroy | delete irreversible host | stateful data-loss | destroys the pool and every dataset in it
zpool labelclear | delete irreversible host | stateful data-loss | erases the device's pool label
zfs list | read reversible none | | lists datasets
zpool status | read reversible none | | reads pools
zpool list | read reversible none | | lists pools
cryptsetup luksErase | delete irreversible host | stateful data-loss | erases every key slot: the data can never be read again
cryptsetup erase | delete irreversible host | stateful data-loss | erases every key slot: the data can never be read again
cryptsetup luksKillSlot | privilege irreversible host | stateful | removes a key slot
cryptsetup luksFormat | delete irreversible host | stateful data-loss | formats the device
cryptsetup status | read reversible none | | reads the mapping
blkdiscard | delete irreversible host | stateful data-loss | discards every block on the device
hdparm --security-erase | delete irreversible host | stateful data-loss | erases the drive
nvme format | delete irreversible host | stateful data-loss | formats the drive
nvme sanitize | delete irreversible host | stateful data-loss | erases the drive
umount | write recoverable host | outage | unmounts the file system
swapoff | write recoverable host | | disables swap
`,
  { local: true },
);
