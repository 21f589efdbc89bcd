package io.pekkoetcd.testkit.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority in a directory, driven through the {@code openssl} command
 * line: {@code ca.pem} and certificates it signs, each with its key in one of the three PEM forms
 * etcd users meet (PKCS#1 RSA from {@code openssl genrsa -traditional}, SEC1 EC from {@code openssl
 * ecparam}, PKCS#8 from {@code openssl genpkey}).
 */
public final class TestPki {

  /** The PEM form of a certificate's private key. */
  public enum KeyForm {
    RSA_PKCS1,
    EC_SEC1,
    PKCS8
  }

  /** A certificate and its key. */
  public record KeyPair(Path cert, Path key) {}

  private final Path dir;
  private final Path ca;
  private final Path caKey;

  private TestPki(Path dir) {
    this.dir = dir;
    this.ca = dir.resolve("ca.pem");
    this.caKey = dir.resolve("ca-key.pem");
  }

  /** A new CA named {@code caName} in {@code dir} (created if needed). */
  public static TestPki create(Path dir, String caName) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestPki pki = new TestPki(dir);
    pki.key(pki.caKey, KeyForm.PKCS8);
    openssl(
        dir,
        "req",
        "-x509",
        "-new",
        "-key",
        pki.caKey.toString(),
        "-out",
        pki.ca.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=" + caName);
    return pki;
  }

  public Path ca() {
    return ca;
  }

  /**
   * A certificate for {@code name} with subject CN {@code cn}, usable as server and client (as
   * etcd's peer certificates must be), valid for 127.0.0.1, ::1, localhost and {@code extraSans}
   * (openssl syntax, e.g. {@code IP:127.0.0.2}).
   */
  public KeyPair issue(String name, String cn, KeyForm form, String... extraSans)
      throws IOException, InterruptedException {
    Path key = dir.resolve(name + "-key.pem");
    Path cert = dir.resolve(name + ".pem");
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    key(key, form);
    openssl(
        dir, "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
    List<String> sans = new ArrayList<>(List.of("IP:127.0.0.1", "IP:::1", "DNS:localhost"));
    sans.addAll(List.of(extraSans));
    Files.writeString(
        ext,
        "subjectAltName=" + String.join(",", sans) + "\nextendedKeyUsage=serverAuth,clientAuth\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        ca.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-extfile",
        ext.toString());
    return new KeyPair(cert, key);
  }

  private void key(Path key, KeyForm form) throws IOException, InterruptedException {
    switch (form) {
      case RSA_PKCS1 -> openssl(dir, "genrsa", "-traditional", "-out", key.toString(), "2048");
      case EC_SEC1 ->
          openssl(
              dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
      case PKCS8 ->
          openssl(
              dir,
              "genpkey",
              "-algorithm",
              "EC",
              "-pkeyopt",
              "ec_paramgen_curve:P-256",
              "-out",
              key.toString());
    }
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
