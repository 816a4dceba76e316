import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** Object stores and backups: what deletes data, and what deletes backups (the last copy). */
export const STORAGE_CLIS: Record<string, Handler> = serviceFamily(`
rclone purge | delete irreversible environment | data-loss bulk | deletes the path and everything under it
rclone delete | delete irreversible service | data-loss bulk | deletes every file under the path
rclone deletefile | delete irreversible resource | data-loss | deletes the file
rclone rmdir | delete irreversible resource | | deletes an empty directory
rclone rmdirs | delete irreversible service | | deletes empty directories under the path
rclone cleanup | delete irreversible service | data-loss | deletes old versions and trash for good
rclone sync | delete irreversible service | data-loss bulk | makes the destination a copy, deleting what the source lacks
rclone bisync | delete irreversible service | data-loss bulk | syncs both ways, deleting on either side
rclone move | delete irreversible service | data-loss | moves files, deleting them from the source
rclone copy | write recoverable service | | copies files
rclone ls | read reversible none | | lists files
rclone lsd | read reversible none | | lists directories
rclone lsl | read reversible none | | lists files
rclone lsf | read reversible none | | lists files
rclone size | read reversible none | | counts files
rclone check | read reversible none | | compares files
rclone config | write reversible resource local | | changes the local rclone configuration
mc rb | delete irreversible environment | stateful data-loss | deletes the bucket
mc rm | delete irreversible service | data-loss | deletes objects
mc rm --recursive | delete irreversible environment | data-loss bulk | deletes every object under the prefix
mc rm -r | delete irreversible environment | data-loss bulk | deletes every object under the prefix
mc mirror --remove | delete irreversible service | data-loss bulk | mirrors, deleting what the source lacks
mc mirror --overwrite | delete irreversible service | data-loss | mirrors, overwriting objects
mc admin bucket remote rm | delete irreversible service | | removes a replication target
mc ilm rule add | write irreversible environment | data-loss | adds a lifecycle rule that may expire objects
mc ls | read reversible none | | lists objects
mc cat | read reversible none | | reads an object
mc stat | read reversible none | | reads metadata
mc du | read reversible none | | counts usage
mc alias | write reversible resource local | | changes the local mc configuration
restic forget | delete irreversible environment | stateful data-loss | forgets snapshots: backups are lost once pruned
restic prune | delete irreversible environment | stateful data-loss | deletes backup data no snapshot keeps
restic key remove | privilege irreversible service | | removes a repository key
restic init | write reversible resource | | creates a repository
restic backup | write reversible resource | | adds a snapshot
restic restore | write recoverable service | | overwrites files with a snapshot's
restic snapshots | read reversible none | | lists snapshots
restic check | read reversible none | | checks the repository
borg delete | delete irreversible environment | stateful data-loss | deletes archives or the whole repository
borg prune | delete irreversible environment | stateful data-loss | deletes archives the rules do not keep
borg compact | delete irreversible service | data-loss | frees space of deleted archives for good
borg recreate | delete irreversible service | data-loss | rewrites archives, dropping what is excluded
borg extract | write recoverable service | | overwrites files with an archive's
borg create | write reversible resource | | adds an archive
borg list | read reversible none | | lists archives
borg info | read reversible none | | reads the repository
azcopy remove | delete irreversible service | data-loss | deletes blobs or files
azcopy rm | delete irreversible service | data-loss | deletes blobs or files
azcopy sync --delete-destination=true | delete irreversible service | data-loss bulk | syncs, deleting what the source lacks
azcopy copy | write recoverable service | | copies blobs
azcopy list | read reversible none | | lists blobs
s3cmd rb | delete irreversible environment | stateful data-loss | deletes the bucket
s3cmd del | delete irreversible service | data-loss | deletes objects
s3cmd rm | delete irreversible service | data-loss | deletes objects
s3cmd sync --delete-removed | delete irreversible service | data-loss bulk | syncs, deleting what the source lacks
s3cmd ls | read reversible none | | lists objects
`);
