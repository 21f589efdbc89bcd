package io.pekkoetcd.grpc;

import io.grpc.Status;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.grpc.gateway.GatewayServices;
import io.pekkoetcd.grpc.gateway.JsonGateway;
import io.pekkoetcd.grpc.tls.CertCnHeader;
import io.pekkoetcd.grpc.tls.HttpsBinding;
import io.pekkoetcd.grpc.tls.TlsSettings;
import io.pekkoetcd.protocol.etcdserverpb.Auth;
import io.pekkoetcd.protocol.etcdserverpb.AuthPowerApiHandlerFactory;
import io.pekkoetcd.protocol.etcdserverpb.Cluster;
import io.pekkoetcd.protocol.etcdserverpb.ClusterPowerApiHandlerFactory;
import io.pekkoetcd.protocol.etcdserverpb.KV;
import io.pekkoetcd.protocol.etcdserverpb.KVPowerApiHandlerFactory;
import io.pekkoetcd.protocol.etcdserverpb.Lease;
import io.pekkoetcd.protocol.etcdserverpb.LeasePowerApiHandlerFactory;
import io.pekkoetcd.protocol.etcdserverpb.Maintenance;
import io.pekkoetcd.protocol.etcdserverpb.MaintenancePowerApiHandlerFactory;
import io.pekkoetcd.protocol.etcdserverpb.Watch;
import io.pekkoetcd.protocol.etcdserverpb.WatchPowerApiHandlerFactory;
import io.pekkoetcd.protocol.v3electionpb.Election;
import io.pekkoetcd.protocol.v3electionpb.ElectionPowerApiHandlerFactory;
import io.pekkoetcd.protocol.v3lockpb.Lock;
import io.pekkoetcd.protocol.v3lockpb.LockPowerApiHandlerFactory;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.GrpcExceptionHandler;
import org.apache.pekko.grpc.javadsl.GrpcMarshalling;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * The client port: etcd's gRPC services and the plain HTTP endpoints on one listener (HTTP/2 with
 * prior knowledge, h2c upgrade and HTTP/1.1), as etcd serves them.
 *
 * <p>Requests are dispatched on the first path segment, the gRPC service name ({@code
 * /etcdserverpb.KV/Range}). A gRPC request for a service that is not served answers gRPC
 * UNIMPLEMENTED (pekko-grpc alone would answer a bare HTTP 404, which grpc-go reports badly);
 * unknown methods of served services answer UNIMPLEMENTED too.
 */
public final class ClientServer {
  private ClientServer() {}

  /** Bind the client port for {@code member} on {@code host:port}, in plaintext. */
  public static CompletionStage<ServerBinding> bind(EtcdMember member, String host, int port) {
    return bind(member, host, port, Optional.empty());
  }

  /**
   * Bind the client port for {@code member} on {@code host:port}: with {@code tls}, HTTPS (HTTP/2
   * negotiated by ALPN, HTTP/1.1 otherwise) with that key pair and client-certificate policy;
   * without, plaintext. Either way every request passes {@link CertCnHeader} first.
   *
   * @throws IllegalArgumentException if a TLS file cannot be read
   */
  public static CompletionStage<ServerBinding> bind(
      EtcdMember member, String host, int port, Optional<TlsSettings> tls) {
    ActorSystem<?> system = member.system();
    Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        CertCnHeader.wrap(handler(member));
    return HttpsBinding.serverAt(system, host, port, tls).bind(handler);
  }

  static Function<HttpRequest, CompletionStage<HttpResponse>> handler(EtcdMember member) {
    ActorSystem<?> system = member.system();
    AuthGuard guard = new AuthGuard(member.auth().holder());
    KvService kv = new KvService(member, guard);
    AuthService auth = new AuthService(member.auth(), guard);
    Concurrency concurrency = new Concurrency(member);
    GatewayServices served =
        new GatewayServices(
            kv,
            new WatchService(member, guard),
            new LeaseService(member),
            new ClusterService(member, guard),
            new MaintenanceService(member, guard),
            new LockService(concurrency, guard),
            new ElectionService(concurrency, guard),
            Optional.of(auth));
    Map<String, Function<HttpRequest, CompletionStage<HttpResponse>>> services =
        Map.of(
            Auth.name, AuthPowerApiHandlerFactory.create(auth, ErrorTable.handler(), system),
            KV.name, KVPowerApiHandlerFactory.create(kv, ErrorTable.handler(), system),
            Maintenance.name,
                MaintenancePowerApiHandlerFactory.create(
                    served.maintenance(), ErrorTable.handler(), system),
            Cluster.name,
                ClusterPowerApiHandlerFactory.create(
                    served.cluster(), ErrorTable.handler(), system),
            Watch.name,
                WatchPowerApiHandlerFactory.create(served.watch(), ErrorTable.handler(), system),
            Lease.name,
                LeasePowerApiHandlerFactory.create(served.lease(), ErrorTable.handler(), system),
            Lock.name,
                LockPowerApiHandlerFactory.create(served.lock(), ErrorTable.handler(), system),
            Election.name,
                ElectionPowerApiHandlerFactory.create(
                    served.election(), ErrorTable.handler(), system));
    HttpEndpoints http = new HttpEndpoints(member);
    GrpcCallMetrics calls = new GrpcCallMetrics(member.metrics());
    // etcd's gRPC receive limit: --max-request-bytes plus 512 KiB for the envelope. Applied to the
    // entity stream,
    // so an oversized message fails while it is being read, not after it was buffered whole.
    long receiveLimit = member.config().maxRequestBytes() + 512 * 1024;
    StrictUnary strictUnary = new StrictUnary(kv, receiveLimit, system);
    Materializer mat = Materializer.matFromSystem(system);
    // etcd's JSON gateway (/v3/*, /v3beta/*), on the same service objects
    JsonGateway gateway = new JsonGateway(served, system, 4 * receiveLimit);
    return request -> {
      Optional<CompletionStage<HttpResponse>> json = gateway.handle(request);
      if (json.isPresent()) {
        return json.get();
      }
      Iterator<String> segments = request.getUri().pathSegments().iterator();
      String first = segments.hasNext() ? segments.next() : "";
      Function<HttpRequest, CompletionStage<HttpResponse>> service = services.get(first);
      if (service != null) {
        HttpRequest call = answeredUncompressed(request);
        String method = segments.hasNext() ? segments.next() : "";
        Optional<GrpcCallMetrics.Method> measured = calls.method(first, method);
        Optional<CompletionStage<HttpResponse>> strict = strictUnary.handle(call, first, method);
        CompletionStage<HttpResponse> answer =
            strict.isPresent()
                ? strict.get()
                : service.apply(call.withEntity(limited(call.entity(), receiveLimit)));
        return measured.isPresent() ? calls.observe(measured.get(), answer) : answer;
      }
      Optional<CompletionStage<HttpResponse>> plain = http.handle(request);
      if (plain.isPresent()) {
        request.discardEntityBytes(mat);
        return plain.get();
      }
      request.discardEntityBytes(mat);
      return unknownService(request, first, system);
    };
  }

  /**
   * The request entity, failing with {@link EntityStreamSizeException} at its end if it was longer
   * than {@code limit}. Bytes past the limit are read and dropped rather than refused: cancelling
   * the request stream early makes the client see CANCELLED instead of the RESOURCE_EXHAUSTED
   * status etcd answers.
   */
  private static RequestEntity limited(RequestEntity entity, long limit) {
    AtomicLong seen = new AtomicLong();
    return ((org.apache.pekko.http.scaladsl.model.RequestEntity) entity)
        .transformDataBytes(
            Flow.<ByteString>create()
                .filter(bytes -> seen.addAndGet(bytes.size()) <= limit)
                .concatLazy(
                    Source.lazySource(
                        () ->
                            seen.get() > limit
                                ? Source.<ByteString>failed(
                                    EntityStreamSizeException.apply(
                                        limit, Option.apply((Object) seen.get())))
                                : Source.<ByteString>empty()))
                .<Object>mapMaterializedValue(notUsed -> notUsed)
                .asScala());
  }

  /**
   * The request without its {@code grpc-accept-encoding}, so that pekko-grpc answers with identity
   * messages: it would otherwise gzip every response of a client that accepts gzip (grpc-java and
   * jetcd do), a Deflater per message, where etcd's grpc-go server never compresses an answer that
   * nobody asked it to. Compressed requests are still read.
   */
  static HttpRequest answeredUncompressed(HttpRequest request) {
    return request.getHeader(ACCEPT_ENCODING).isPresent()
        ? request.removeHeader(ACCEPT_ENCODING)
        : request;
  }

  private static final String ACCEPT_ENCODING = "grpc-accept-encoding";

  private static CompletionStage<HttpResponse> unknownService(
      HttpRequest request, String service, ActorSystem<?> system) {
    return GrpcMarshalling.negotiated(
            request,
            (reader, writer) ->
                CompletableFuture.completedFuture(
                    GrpcExceptionHandler.standard(
                        new GrpcServiceException(
                            Status.UNIMPLEMENTED.withDescription("unknown service " + service)),
                        ErrorTable.handler(),
                        writer,
                        system)))
        .orElseGet(
            () ->
                CompletableFuture.completedFuture(
                    HttpResponse.create().withStatus(StatusCodes.NOT_FOUND)));
  }
}
