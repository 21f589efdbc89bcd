/**
 * The runnable member: {@link io.pekkoetcd.server.Main} reads etcd's command line ({@code config}
 * subpackage: flags, {@code ETCD_*} environment, {@code --config-file}), {@link
 * io.pekkoetcd.server.MemberRunner} derives the member's configuration (IDs as etcd derives them,
 * data directories, request timeout), starts the member's actors and binds the client port and
 * every {@code --listen-metrics-urls} listener ({@code /metrics} and the health endpoints). This is
 * the only module that may depend on {@code grpc-api}.
 *
 * <p>Process contract: a wrong flag is one line on stderr and exit code 1; a member whose actor
 * system stops after a failure exits 1 (so that systemd or Kubernetes restarts it); SIGTERM shuts
 * down through Pekko's coordinated shutdown. The distribution {@code bin/pekko-etcd} runs is {@code
 * target/pekko-etcd-server.jar} plus {@code target/lib}; {@code bin/pekko-etcdutl} runs its second
 * entry point, {@link io.pekkoetcd.server.Etcdutl} (snapshot status and restore, offline).
 */
package io.pekkoetcd.server;
