/**
 * etcd's JSON gateway on the client port ({@code POST /v3/*}, {@code /v3beta/*}): what curl,
 * Patroni and OpenStack's etcd3gw speak. It is etcd 3.4's grpc-gateway (v1, {@code JSONPb{OrigName:
 * true}}) rebuilt on the same service objects as the gRPC handlers, so it adds an encoding and no
 * behaviour of its own.
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.grpc.gateway.JsonGateway}: the HTTP handler ({@code ClientServer} asks
 *       it first); {@link io.pekkoetcd.grpc.gateway.GatewayRoutes}: the path table; {@link
 *       io.pekkoetcd.grpc.gateway.GatewayServices}: the services it calls (Auth plugs in there).
 *   <li>{@link io.pekkoetcd.grpc.gateway.GatewayJson}: messages to and from jsonpb's JSON (proto
 *       names, int64 as strings, base64 bytes, zero values left out), with Go's error texts for
 *       bodies that do not decode, read by {@link io.pekkoetcd.grpc.gateway.GoJson} (Go's {@code
 *       encoding/json} scanner) and {@link io.pekkoetcd.grpc.gateway.GoBase64}.
 *   <li>{@link io.pekkoetcd.grpc.gateway.GatewayStatus}: gRPC code to HTTP status and error bodies
 *       as grpc-gateway writes them; the code and message come from {@code ErrorTable}.
 *   <li>{@link io.pekkoetcd.grpc.gateway.GatewayRequests}: a stream's requests decoded from its
 *       body as it arrives (over HTTP or WebSocket messages), as grpc-gateway's decoder reads them.
 *   <li>{@link io.pekkoetcd.grpc.gateway.GatewayWebSocket}: the same calls over a WebSocket, as
 *       etcd's wsproxy serves them.
 * </ul>
 *
 * <p>Contract: pure codecs (GoJson, GoBase64, GatewayJson, GatewayStatus) have no I/O; JsonGateway
 * holds no state beyond its route table. Answers carry etcd's headers too (CORS, {@code
 * Grpc-Metadata-Content-Type}; a failed call is chunked with a {@code Grpc-Trailer-Content-Type}
 * trailer). Known differences from etcd 3.4: the Auth paths answer UNIMPLEMENTED until the Auth
 * service exists, and the token is passed on but checked by nobody yet (etcd refuses an invalid one
 * even with auth off); a stream answers while its HTTP/1.1 body is still arriving (etcd's Go server
 * answers only once the body has ended).
 */
package io.pekkoetcd.grpc.gateway;
