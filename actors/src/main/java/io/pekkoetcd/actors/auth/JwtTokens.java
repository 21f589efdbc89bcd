package io.pekkoetcd.actors.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * etcd's JWT tokens ({@code --auth-token jwt,pub-key=…,priv-key=…,sign-method=RS256,ttl=5m}, {@code
 * auth/jwt.go}): a token is a signed JWT with claims {@code username}, {@code revision} (the auth
 * revision it was issued at) and {@code exp}; never extended, valid on any member holding the
 * public key, and older than the auth store once the store changes ("revision of auth store is
 * old"). Keys are PEM files: PKCS#8 private keys, X.509 public keys; RS*, PS* and ES* methods.
 * Thread-safe (immutable); the wall clock is injected.
 */
public final class JwtTokens {
  private final JWSAlgorithm alg;
  private final JWSSigner signer;
  private final JWSVerifier verifier;
  private final Duration ttl;
  private final LongSupplier wallMillis;

  JwtTokens(
      JWSAlgorithm alg, PublicKey pub, PrivateKey priv, Duration ttl, LongSupplier wallMillis) {
    this.alg = alg;
    this.ttl = ttl;
    this.wallMillis = wallMillis;
    try {
      boolean ec = JWSAlgorithm.Family.EC.contains(alg);
      this.verifier =
          ec ? new ECDSAVerifier((ECPublicKey) pub) : new RSASSAVerifier((RSAPublicKey) pub);
      this.signer =
          priv == null ? null : ec ? new ECDSASigner((ECPrivateKey) priv) : new RSASSASigner(priv);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("auth-token jwt: unusable key: " + e.getMessage(), e);
    }
  }

  /**
   * The provider an {@code --auth-token} value asks for: empty for {@code simple}; for {@code
   * jwt,…} its options read and its keys loaded.
   *
   * @throws IllegalArgumentException for an unknown type or bad options (the member must not start)
   */
  public static Optional<JwtTokens> of(String authToken, LongSupplier wallMillis) {
    String[] parts = authToken.split(",");
    if (parts[0].equals("simple")) {
      return Optional.empty();
    }
    if (!parts[0].equals("jwt")) {
      throw new IllegalArgumentException("unknown token type: " + parts[0]);
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("auth-token jwt: bad option " + parts[i]);
      }
      o.put(kv[0], kv[1]);
    }
    String method = o.getOrDefault("sign-method", "");
    JWSAlgorithm alg = JWSAlgorithm.parse(method);
    boolean ec = JWSAlgorithm.Family.EC.contains(alg);
    if (!ec && !JWSAlgorithm.Family.RSA.contains(alg)) {
      throw new IllegalArgumentException("auth-token jwt: unsupported sign-method " + method);
    }
    if (!o.containsKey("pub-key")) {
      throw new IllegalArgumentException("auth-token jwt: pub-key is required");
    }
    String keyAlg = ec ? "EC" : "RSA";
    PublicKey pub = publicKey(Path.of(o.get("pub-key")), keyAlg);
    PrivateKey priv =
        o.containsKey("priv-key") ? privateKey(Path.of(o.get("priv-key")), keyAlg) : null;
    Duration ttl = goDuration(o.getOrDefault("ttl", "5m"));
    return Optional.of(new JwtTokens(alg, pub, priv, ttl, wallMillis));
  }

  /** A signed token for {@code user} at auth revision {@code revision}. */
  public String sign(String user, long revision) {
    if (signer == null) {
      throw new IllegalStateException("auth-token jwt: no priv-key, cannot sign");
    }
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .claim("username", user)
            .claim("revision", revision)
            .expirationTime(new Date(wallMillis.getAsLong() + ttl.toMillis()))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("jwt signing failed", e);
    }
    return jwt.serialize();
  }

  /** Who a token names, if its signature, method and expiry are good. */
  public Optional<Permissions.AuthInfo> verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!alg.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Date exp = c.getExpirationTime();
      String user = c.getStringClaim("username");
      Long revision = c.getLongClaim("revision");
      if (exp == null
          || exp.getTime() <= wallMillis.getAsLong()
          || user == null
          || revision == null) {
        return Optional.empty();
      }
      return Optional.of(new Permissions.AuthInfo(user, revision));
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }

  private static byte[] pem(Path file, String kind) {
    try {
      String text = Files.readString(file);
      if (text.contains("-----BEGIN RSA PRIVATE KEY-----")
          || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
        throw new IllegalArgumentException(
            "auth-token jwt: "
                + file
                + " is PKCS#1/SEC1; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
      }
      String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return Base64.getDecoder().decode(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("auth-token jwt: cannot read " + kind + " " + file, e);
    }
  }

  static PublicKey publicKey(Path file, String keyAlg) {
    try {
      return KeyFactory.getInstance(keyAlg)
          .generatePublic(new X509EncodedKeySpec(pem(file, "pub-key")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("auth-token jwt: bad pub-key " + file, e);
    }
  }

  static PrivateKey privateKey(Path file, String keyAlg) {
    try {
      return KeyFactory.getInstance(keyAlg)
          .generatePrivate(new PKCS8EncodedKeySpec(pem(file, "priv-key")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("auth-token jwt: bad priv-key " + file, e);
    }
  }

  /** A Go duration of one unit ("5m", "30s", "1h", "500ms"), as etcd's ttl option. */
  static Duration goDuration(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("auth-token jwt: bad ttl " + s);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
