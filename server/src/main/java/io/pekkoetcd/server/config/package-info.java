/**
 * etcd's server configuration, read the way etcd 3.4 reads it so that a systemd unit, a set of
 * {@code ETCD_*} variables or a YAML {@code --config-file} written for etcd starts pekko-etcd
 * unchanged.
 *
 * <p>{@link io.pekkoetcd.server.config.EtcdConfigParser#parse} is the one entry point: command line
 * (picocli, driven by the flag table {@code EtcdFlags}), then either the config file or the
 * environment, then etcd's validation, then a refusal of what pekko-etcd does not do yet (TLS,
 * discovery, v2 proxy). The result is an immutable {@link io.pekkoetcd.server.config.EtcdConfig}
 * plus warnings for the caller to log; every failure is a {@link
 * io.pekkoetcd.server.config.ConfigException} with one line worded as etcd's where etcd has the
 * same check.
 */
package io.pekkoetcd.server.config;
