/**
 * etcd's server configuration, read the way etcd 3.4 reads it so that a systemd unit, a set of
 * {@code ETCD_*} variables or a YAML {@code --config-file} written for etcd starts pekko-etcd
 * unchanged.
 *
 * <p>{@link io.pekkoetcd.server.config.EtcdConfigParser#parse} is the one entry point and runs the
 * steps in order, one class each: the command line ({@code CommandLineParser}, picocli driven by
 * the flag table), then either the config file ({@code ConfigFile}) or the environment ({@code
 * EnvironmentVariables}), then typing and etcd's validation ({@code ConfigBuilder} over {@code
 * TypedValues} and {@code GoValues}), then the TLS settings against the URLs ({@code TlsChecks}),
 * then a refusal of what pekko-etcd does not do yet ({@code UnsupportedFeatures}: CRLs, allowed TLS
 * hostnames, discovery, v2 proxy). Raw values travel as {@code Given}, which remembers whether a
 * value came from a flag, a variable or the file, for etcd's error wording.
 *
 * <p>The flag table {@code EtcdFlags} assembles the flags from one file per {@code etcd --help}
 * group or pair of groups: {@code MemberFlags}, {@code ClusteringFlags}, {@code SecurityFlags}
 * (security, auth), {@code LoggingFlags} (profiling and monitoring, logging), {@code LegacyFlags}
 * (v2 proxy, to be deprecated), {@code ExperimentalFlags} (experimental, unsafe); {@code Usage}
 * prints it for {@code --help}.
 *
 * <p>The result is an immutable {@link io.pekkoetcd.server.config.EtcdConfig} plus warnings for the
 * caller to log; every failure is a {@link io.pekkoetcd.server.config.ConfigException} with one
 * line worded as etcd's where etcd has the same check.
 */
package io.pekkoetcd.server.config;
