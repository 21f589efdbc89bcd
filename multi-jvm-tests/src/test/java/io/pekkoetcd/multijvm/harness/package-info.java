/**
 * The multi-JVM harness: {@code MemberCluster} runs members as separate JVMs of the real
 * distribution ({@code bin/pekko-etcd}), one per loopback address (127.0.0.2, .3, …), and always
 * stops what it started; {@code MemberProcess} is one of them (kill -9, SIGSTOP/SIGCONT, restart on
 * its data); {@code Firewall} partitions member addresses with iptables DROP rules in the suite's
 * own chain, flushed at start and at the end. Root is required; without it the suite fails with one
 * line.
 */
package io.pekkoetcd.multijvm.harness;
