/**
 * etcd's wire protocol, generated from etcd 3.5's own proto files ({@code etcdserverpb}, {@code
 * mvccpb}, {@code authpb}, {@code v3lockpb}, {@code v3electionpb}) with their package, service,
 * method and message names and field numbers unchanged, plus pekko-etcd's internal protos ({@code
 * pekkoetcd.internal}: the Raft log payload).
 *
 * <p>Contract: this module holds generated code only. The proto files under {@code
 * src/main/protobuf} are the single source of truth; changing a field number or a name breaks every
 * etcd client. Go-only options (gogoproto, google.api.http) were dropped because they do not change
 * the wire format.
 */
package io.pekkoetcd.protocol;
