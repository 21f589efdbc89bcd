package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.AUTH;
import static io.pekkoetcd.server.config.Flag.Group.SECURITY;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.LIST;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.UINT;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;

import java.util.List;

/**
 * etcd's "Security" flags (client and peer TLS, CORS and host whitelist) and "Auth" flags (token
 * type, bcrypt cost, token TTL). Part of {@link EtcdFlags}.
 */
final class SecurityFlags {

  /** The "Security" group of {@code etcd --help}, in its order. */
  static final List<Flag> SECURITY_GROUP =
      List.of(
          new Flag(
              "cert-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the client server TLS cert file."),
          new Flag(
              "key-file", STRING, "", SECURITY, STORED, "Path to the client server TLS key file."),
          new Flag(
              "client-cert-auth",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Enable client cert authentication."),
          new Flag(
              "client-crl-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the client certificate revocation list file."),
          new Flag(
              "client-cert-allowed-hostname",
              STRING,
              "",
              SECURITY,
              STORED,
              "Allowed TLS hostname for client cert authentication."),
          new Flag(
              "trusted-ca-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the client server TLS trusted CA cert file."),
          new Flag(
              "auto-tls",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Client TLS using generated certificates."),
          new Flag(
              "peer-cert-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer server TLS cert file."),
          new Flag(
              "peer-key-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer server TLS key file."),
          new Flag(
              "peer-client-cert-auth",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Enable peer client cert authentication."),
          new Flag(
              "peer-trusted-ca-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer server TLS trusted CA file."),
          new Flag(
              "peer-cert-allowed-cn",
              STRING,
              "",
              SECURITY,
              STORED,
              "Required CN for client certs connecting to the peer endpoint."),
          new Flag(
              "peer-cert-allowed-hostname",
              STRING,
              "",
              SECURITY,
              STORED,
              "Allowed TLS hostname for inter peer authentication."),
          new Flag(
              "peer-auto-tls",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Peer TLS using self-generated certificates."),
          new Flag(
              "peer-crl-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer certificate revocation list file."),
          new Flag(
              "self-signed-cert-validity",
              UINT,
              "1",
              SECURITY,
              IGNORED,
              "(3.5) Validity period in years of auto-generated certificates."),
          new Flag(
              "cipher-suites",
              LIST,
              "",
              SECURITY,
              STORED,
              "Comma-separated list of supported TLS cipher suites between client/server and peers."),
          new Flag(
              "tls-min-version",
              STRING,
              "TLS1.2",
              SECURITY,
              STORED,
              "(3.5) Minimum TLS version supported by etcd."),
          new Flag(
              "tls-max-version",
              STRING,
              "",
              SECURITY,
              STORED,
              "(3.5) Maximum TLS version supported by etcd."),
          new Flag(
              "cors",
              LIST,
              "*",
              SECURITY,
              STORED,
              "Comma-separated whitelist of origins for CORS."),
          new Flag(
              "host-whitelist",
              LIST,
              "*",
              SECURITY,
              STORED,
              "Acceptable hostnames from HTTP client requests, if server is not secure."),
          new Flag(
              "experimental-peer-skip-client-san-verification",
              BOOL,
              "false",
              SECURITY,
              IGNORED,
              "Skip verification of SAN field in client certificate for peer connections."));

  /** The "Auth" group of {@code etcd --help}, in its order. */
  static final List<Flag> AUTH_GROUP =
      List.of(
          new Flag(
              "auth-token",
              STRING,
              "simple",
              AUTH,
              STORED,
              "Specify a v3 authentication token type and its options ('simple' or 'jwt')."),
          new Flag(
              "bcrypt-cost",
              UINT,
              "10",
              AUTH,
              STORED,
              "Specify the cost / strength of the bcrypt algorithm for hashing auth passwords."),
          new Flag(
              "auth-token-ttl",
              UINT,
              "300",
              AUTH,
              STORED,
              "Time (in seconds) of the auth-token-ttl."));

  private SecurityFlags() {}
}
