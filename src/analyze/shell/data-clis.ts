import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** Data stores driven from their own CLIs (redis-cli and mongosh have handlers in database.ts). */
export const DATA_CLIS: Record<string, Handler> = serviceFamily(`
mongorestore --drop | delete irreversible environment | stateful data-loss | drops each collection before restoring it
mongorestore | write recoverable service | | restores into the database
mongodump | read reversible none | | reads the database
mongoexport | read reversible none | | reads the database
mongoimport --drop | delete irreversible environment | stateful data-loss | drops the collection before importing
mongoimport --mode=delete | delete irreversible service | data-loss | deletes matching documents
mongoimport | write recoverable service | | imports documents
kafka-topics --delete | delete irreversible environment | stateful data-loss | deletes the topic and its messages
kafka-topics.sh --delete | delete irreversible environment | stateful data-loss | deletes the topic and its messages
kafka-topics --alter | write recoverable service | | changes the topic
kafka-topics.sh --alter | write recoverable service | | changes the topic
kafka-topics --list | read reversible none | | lists topics
kafka-topics.sh --list | read reversible none | | lists topics
kafka-topics --describe | read reversible none | | reads topics
kafka-topics.sh --describe | read reversible none | | reads topics
kafka-topics --create | write reversible resource | | creates a topic
kafka-topics.sh --create | write reversible resource | | creates a topic
kafka-delete-records | delete irreversible service | data-loss | deletes messages up to an offset
kafka-delete-records.sh | delete irreversible service | data-loss | deletes messages up to an offset
kafka-consumer-groups --delete | delete irreversible service | | deletes the consumer group and its offsets
kafka-consumer-groups.sh --delete | delete irreversible service | | deletes the consumer group and its offsets
kafka-consumer-groups --reset-offsets --execute | write irreversible service | data-loss | moves the group's offsets: messages are skipped or replayed
kafka-consumer-groups.sh --reset-offsets --execute | write irreversible service | data-loss | moves the group's offsets: messages are skipped or replayed
kafka-consumer-groups --describe | read reversible none | | reads the group
kafka-consumer-groups.sh --describe | read reversible none | | reads the group
kafka-configs --alter | write recoverable service | | changes configuration (retention may delete messages)
kafka-configs.sh --alter | write recoverable service | | changes configuration (retention may delete messages)
rpk topic delete | delete irreversible environment | stateful data-loss | deletes the topic and its messages
rpk topic trim-prefix | delete irreversible service | data-loss | deletes messages up to an offset
rpk group delete | delete irreversible service | | deletes the consumer group
rpk group seek | write irreversible service | data-loss | moves the group's offsets
rpk cluster config set | write recoverable environment | | changes cluster configuration
rpk topic list | read reversible none | | lists topics
rpk topic describe | read reversible none | | reads topics
rpk topic consume | read reversible none | | reads messages
rpk cluster info | read reversible none | | reads the cluster
etcdctl del | delete irreversible service | stateful data-loss | deletes keys
etcdctl del --prefix | delete irreversible environment | stateful data-loss bulk | deletes every key under the prefix
etcdctl del --from-key | delete irreversible environment | stateful data-loss bulk | deletes every key from this one on
etcdctl compact | delete irreversible service | data-loss | discards history before the revision
etcdctl defrag | write recoverable service | outage | defragments: the member stalls meanwhile
etcdctl member remove | write irreversible environment | outage | removes a member from the cluster
etcdctl snapshot restore | write irreversible environment | stateful data-loss | replaces the data directory with a snapshot
etcdctl put | write recoverable resource | | writes a key
etcdctl get | read reversible none | | reads keys
etcdctl member list | read reversible none | | lists members
etcdctl endpoint | read reversible none | | reads endpoint health
cqlsh | execute irreversible environment opaque | | runs CQL airlock cannot read
cqlsh -e | execute irreversible environment opaque | | runs CQL airlock cannot read
nodetool clearsnapshot | delete irreversible service | data-loss | deletes snapshots (backups)
nodetool decommission | write irreversible environment | outage | removes the node from the ring
nodetool removenode | write irreversible environment | outage | removes a node from the ring
nodetool drain | write recoverable service | outage | stops the node accepting writes
nodetool truncatehints | delete irreversible service | data-loss | drops pending hints
nodetool status | read reversible none | | reads status
rabbitmqctl delete_queue | delete irreversible service | data-loss | deletes the queue and its messages
rabbitmqctl purge_queue | delete irreversible service | data-loss | deletes the queue's messages
rabbitmqctl delete_vhost | delete irreversible environment | stateful data-loss | deletes the vhost, its queues and messages
rabbitmqctl delete_user | privilege irreversible service | outage | deletes the user
rabbitmqctl reset | delete irreversible environment | stateful data-loss | returns the node to a blank state
rabbitmqctl force_reset | delete irreversible environment | stateful data-loss | returns the node to a blank state
rabbitmqctl stop_app | write recoverable service | outage | stops the broker
rabbitmqctl stop | write recoverable service | outage | stops the node
rabbitmqctl forget_cluster_node | write irreversible environment | outage | removes a node from the cluster
rabbitmqctl close_all_connections | write recoverable service | outage | disconnects every client
rabbitmqctl list_queues | read reversible none | | lists queues
rabbitmqctl status | read reversible none | | reads status
rabbitmqadmin delete | delete irreversible service | data-loss | deletes it
rabbitmqadmin purge | delete irreversible service | data-loss | deletes the queue's messages
rabbitmqadmin list | read reversible none | | lists
mysqladmin drop | delete irreversible environment | stateful data-loss | drops the database
mysqladmin shutdown | write recoverable environment | outage | shuts the server down
mysqladmin flush-hosts | write reversible service | | clears the host cache
mysqladmin kill | write recoverable resource | outage | kills client threads
mysqladmin status | read reversible none | | reads status
mysqladmin processlist | read reversible none | | reads the process list
mysqladmin ping | read reversible none | | checks the server
influx bucket delete | delete irreversible environment | stateful data-loss | deletes the bucket and its data
influx delete | delete irreversible service | data-loss | deletes points
clickhouse-client | execute irreversible environment opaque | | runs SQL airlock cannot read
`);
