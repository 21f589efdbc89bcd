package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.auth.AuthHolder;
import io.pekkoetcd.actors.auth.AuthState;
import io.pekkoetcd.actors.auth.SimpleTokens;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserDeleteRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGrantRoleRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.internal.InternalAuthenticateRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth changes applied through the store: persisted in the entry's batch (a reopen sees them),
 * published to the holder only after commit, tokens assigned with the entry's index, refusals
 * change nothing, and a write checked at an old auth revision, or by a user without permission, is
 * refused at apply.
 */
class AuthOpsTest {
  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong();
  private final AuthHolder holder =
      new AuthHolder(new SimpleTokens(1_000, now::get, new Random(1)));

  private static InternalRaftRequest userAdd(String name) {
    return InternalRaftRequest.newBuilder()
        .setUserAdd(AuthUserAddRequest.newBuilder().setName(name).setHashedPassword("$2a$h"))
        .build();
  }

  private ApplyResult apply(StoreFixture f, InternalRaftRequest r) {
    return f.applier.applyBatch(List.of(new Applied(f.nextIndex++, r))).get(0);
  }

  private StoreFixture fixture() {
    StoreFixture f = new StoreFixture(dir);
    f.applier = new KvApplier(f.store, 2, new MemberOps(() -> Members.of(List.of())), holder);
    return f;
  }

  @Test
  void changesPersistPublishAndSurviveReopen() {
    try (StoreFixture f = fixture()) {
      assertThat(apply(f, userAdd("root"))).isInstanceOf(ApplyResult.Ok.class);
      assertThat(holder.state().users()).containsOnlyKeys("root");
      ApplyResult refused =
          apply(
              f,
              InternalRaftRequest.newBuilder()
                  .setAuthEnable(AuthEnableRequest.getDefaultInstance())
                  .build());
      assertThat(refused)
          .isEqualTo(new ApplyResult.Refused(2, ServerError.AUTH_ROOT_ROLE_NOT_GRANTED));
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setUserGrantRole(
                  AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root"))
              .build());
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setAuthEnable(AuthEnableRequest.getDefaultInstance())
              .build());
      AuthState s = holder.state();
      assertThat(s.enabled()).isTrue();
      assertThat(s.revision()).isEqualTo(3);
      f.reopen();
      assertThat(AuthState.decode(f.store.authState())).isEqualTo(s);
    }
  }

  @Test
  void authenticateAssignsTokenWithIndexAndDeleteInvalidatesIt() {
    try (StoreFixture f = fixture()) {
      apply(f, userAdd("root"));
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setUserGrantRole(
                  AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root"))
              .build());
      apply(f, userAdd("u"));
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setAuthEnable(AuthEnableRequest.getDefaultInstance())
              .build());
      ApplyResult.Ok ok =
          (ApplyResult.Ok)
              apply(
                  f,
                  InternalRaftRequest.newBuilder()
                      .setAuthenticate(
                          InternalAuthenticateRequest.newBuilder()
                              .setName("u")
                              .setSimpleToken("abcdefghijklmnop"))
                      .build());
      String token = ((AuthenticateResponse) ok.response()).getToken();
      assertThat(token).isEqualTo("abcdefghijklmnop.5");
      assertThat(holder.resolveToken(token)).isPresent();
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setUserDelete(AuthUserDeleteRequest.newBuilder().setName("u"))
              .build());
      assertThat(holder.resolveToken(token)).isEmpty();
    }
  }

  @Test
  void requestCheckedAtOldRevisionIsRefused() throws Exception {
    try (StoreFixture f = fixture()) {
      apply(f, userAdd("root"));
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setUserGrantRole(
                  AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root"))
              .build());
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setAuthEnable(AuthEnableRequest.getDefaultInstance())
              .build());
      long rev = holder.state().revision();
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setRoleAdd(AuthRoleAddRequest.newBuilder().setName("r"))
              .build());
      InternalRaftRequest.Builder put =
          InternalRaftRequest.newBuilder()
              .setPut(PutRequest.newBuilder().setKey(b("k")).setValue(b("v")))
              .setUsername("root");
      assertThat(apply(f, put.setAuthRevision(rev).build()))
          .isInstanceOf(ApplyResult.Refused.class)
          .extracting(r -> ((ApplyResult.Refused) r).error())
          .isEqualTo(ServerError.AUTH_OLD_REVISION);
      assertThat(apply(f, put.setAuthRevision(rev + 1).build())).isInstanceOf(ApplyResult.Ok.class);
      // a user without WRITE on the key: refused again at apply, the key untouched
      apply(f, userAdd("u"));
      ApplyResult denied =
          apply(
              f,
              put.setUsername("u")
                  .setAuthRevision(holder.state().revision())
                  .setPut(PutRequest.newBuilder().setKey(b("k")).setValue(b("other")))
                  .build());
      assertThat(denied)
          .isInstanceOf(ApplyResult.Refused.class)
          .extracting(r -> ((ApplyResult.Refused) r).error())
          .isEqualTo(ServerError.AUTH_PERMISSION_DENIED);
      assertThat(f.get("k").getValue()).isEqualTo(b("v"));
      // attaching a key to a lease needs WRITE on the lease's other keys (root's "k" here)
      apply(f, StoreFixture.grant(7, 60));
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setPut(PutRequest.newBuilder().setKey(b("k")).setValue(b("v")).setLease(7))
              .build());
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setRoleAdd(AuthRoleAddRequest.newBuilder().setName("w"))
              .build());
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setRoleGrantPermission(
                  io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionRequest.newBuilder()
                      .setName("w")
                      .setPerm(
                          io.pekkoetcd.protocol.authpb.Permission.newBuilder()
                              .setPermType(io.pekkoetcd.protocol.authpb.Permission.Type.WRITE)
                              .setKey(b("m"))))
              .build());
      apply(
          f,
          InternalRaftRequest.newBuilder()
              .setUserGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("u").setRole("w"))
              .build());
      InternalRaftRequest.Builder onLease =
          InternalRaftRequest.newBuilder()
              .setUsername("u")
              .setAuthRevision(holder.state().revision());
      assertThat(
              apply(
                  f,
                  onLease.setPut(PutRequest.newBuilder().setKey(b("m")).setValue(b("x"))).build()))
          .isInstanceOf(ApplyResult.Ok.class);
      assertThat(
              apply(
                  f,
                  onLease
                      .setPut(PutRequest.newBuilder().setKey(b("m")).setValue(b("x")).setLease(7))
                      .build()))
          .isEqualTo(new ApplyResult.Refused(f.nextIndex - 1, ServerError.AUTH_PERMISSION_DENIED));
    }
  }
}
