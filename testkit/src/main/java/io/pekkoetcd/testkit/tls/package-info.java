/**
 * Certificates for TLS tests, made with the {@code openssl} command line as an operator would make
 * them: a CA and certificates it signs ({@link io.pekkoetcd.testkit.tls.TestPki}).
 */
package io.pekkoetcd.testkit.tls;
