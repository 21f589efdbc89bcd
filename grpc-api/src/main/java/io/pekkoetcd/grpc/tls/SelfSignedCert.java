package io.pekkoetcd.grpc.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * etcd's {@code --auto-tls}/{@code --peer-auto-tls} certificates ({@code transport.SelfCert}): an
 * ECDSA P-256 key and a self-signed certificate valid for one year (organization {@code etcd}) for
 * the listener's hosts, written as {@code cert.pem} and {@code key.pem} (SEC1, mode 0600) in a
 * directory, {@code <data-dir>/fixtures/client} or {@code fixtures/peer}. Files already there are
 * reused, as etcd does.
 */
public final class SelfSignedCert {
  private SelfSignedCert() {}

  /** Validity of a generated certificate (etcd 3.4's fixed year). */
  static final Duration VALIDITY = Duration.ofDays(365);

  /**
   * The certificate and key in {@code dir}, generated for {@code hosts} (IP literals or DNS names)
   * unless both files exist.
   *
   * @return {@code [cert.pem, key.pem]}
   * @throws IllegalStateException if they cannot be written
   */
  public static List<Path> ensure(Path dir, List<String> hosts, Clock clock) {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      return List.of(cert, key);
    }
    try {
      Files.createDirectories(dir);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Instant now = clock.instant();
      X500Name subject = new X500Name("O=etcd");
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(128, new SecureRandom()),
              Date.from(now),
              Date.from(now.plus(VALIDITY)),
              subject,
              pair.getPublic());
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(hosts.stream().map(SelfSignedCert::name).toArray(GeneralName[]::new)));
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      try (Writer w = Files.newBufferedWriter(cert);
          JcaPEMWriter pem = new JcaPEMWriter(w)) {
        pem.writeObject(holder);
      }
      Files.deleteIfExists(key); // a key left without its certificate
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer w = Files.newBufferedWriter(key);
          JcaPEMWriter pem = new JcaPEMWriter(w)) {
        pem.writeObject(new PemObject("EC PRIVATE KEY", sec1(pair).getEncoded()));
      }
      return List.of(cert, key);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a certificate in " + dir + ": " + e, e);
    }
  }

  /**
   * The key as Go's {@code x509.MarshalECPrivateKey} writes it: SEC1 with the named curve and the
   * public key (a JDK key's own encoding is PKCS#8, whose inner SEC1 has neither).
   */
  private static ECPrivateKey sec1(KeyPair pair) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    return new ECPrivateKey(
        256,
        inner.getKey(),
        spki.getPublicKeyData(),
        info.getPrivateKeyAlgorithm().getParameters());
  }

  private static GeneralName name(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean literal = h.contains(":") || h.matches("[0-9.]+");
    if (literal) {
      try {
        return new GeneralName(
            GeneralName.iPAddress,
            new org.bouncycastle.asn1.DEROctetString(InetAddress.getByName(h).getAddress()));
      } catch (IOException e) {
        // not an address after all: a DNS name
      }
    }
    return new GeneralName(GeneralName.dNSName, h);
  }
}
