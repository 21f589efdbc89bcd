/**
 * TLS as etcd configures it, for the client port and the peer transport: key pairs and CAs from PEM
 * files ({@link io.pekkoetcd.grpc.tls.PemFiles}: certificate chains, PKCS#1 RSA, SEC1 EC and PKCS#8
 * keys, as etcd reads them), the SSL contexts and engines built from them ({@link
 * io.pekkoetcd.grpc.tls.TlsContexts}: TLS 1.2 and 1.3, {@code --cipher-suites}, client certificates
 * required only with {@code --client-cert-auth}), the self-signed certificates of {@code
 * --auto-tls} ({@link io.pekkoetcd.grpc.tls.SelfSignedCert}), and the client port's certificate CN
 * header ({@link io.pekkoetcd.grpc.tls.CertCnHeader}), by which the auth layer learns a verified
 * client certificate's CN.
 *
 * <p>Files are read when a context is built (at start); a missing or unreadable file fails the
 * start with a message naming it, as etcd does.
 */
package io.pekkoetcd.grpc.tls;
