/**
 * etcd's lessor, pure: {@link io.pekkoetcd.actors.lease.Lessor} tracks which leases exist and, on
 * the leader (the primary lessor), when each expires; time is a parameter. The {@code LeaseActor}
 * owns one per member; what a lease is on disk is the MVCC store's lease bucket ({@code
 * io.pekkoetcd.mvcc.StoredLease}), written by the apply layer ({@code
 * io.pekkoetcd.actors.apply.LeaseOps}).
 */
package io.pekkoetcd.actors.lease;
