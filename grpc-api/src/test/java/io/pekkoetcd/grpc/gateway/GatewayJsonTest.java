package io.pekkoetcd.grpc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway's codec against what etcd 3.4.23's gateway was seen to write and answer (each
 * expected text below was printed by real etcd for the same body).
 */
class GatewayJsonTest {
  private static final ResponseHeader HEADER =
      ResponseHeader.newBuilder()
          .setClusterId(Long.parseUnsignedLong("10242480911274860194"))
          .setMemberId(6791905032029899425L)
          .setRevision(2)
          .setRaftTerm(2)
          .build();

  @Test
  void rangeResponseIsWrittenAsJsonpbWithOriginalNames() {
    RangeResponse r =
        RangeResponse.newBuilder()
            .setHeader(HEADER)
            .addKvs(
                KeyValue.newBuilder()
                    .setKey(utf8("foo"))
                    .setCreateRevision(2)
                    .setModRevision(2)
                    .setVersion(1)
                    .setValue(utf8("bar")))
            .setCount(1)
            .build();
    assertThat(GatewayJson.print(r))
        .isEqualTo(
            "{\"header\":{\"cluster_id\":\"10242480911274860194\",\"member_id\":\"6791905032029899425\","
                + "\"revision\":\"2\",\"raft_term\":\"2\"},\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\","
                + "\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"YmFy\"}],\"count\":\"1\"}");
  }

  @Test
  void zeroValuesAreLeftOutButSetMessagesAreWritten() {
    WatchResponse w =
        WatchResponse.newBuilder()
            .setHeader(ResponseHeader.getDefaultInstance())
            .addEvents(
                Event.newBuilder()
                    .setType(Event.EventType.DELETE)
                    .setKv(KeyValue.newBuilder().setKey(utf8("foo")).setModRevision(4)))
            .addEvents(Event.newBuilder().setKv(KeyValue.newBuilder().setKey(utf8("a"))))
            .build();
    assertThat(GatewayJson.print(w))
        .isEqualTo(
            "{\"header\":{},\"events\":[{\"type\":\"DELETE\",\"kv\":{\"key\":\"Zm9v\",\"mod_revision\":\"4\"}},"
                + "{\"kv\":{\"key\":\"YQ==\"}}]}");
    assertThat(GatewayJson.print(WatchResponse.newBuilder().setWatchId(-1).build()))
        .isEqualTo("{\"watch_id\":\"-1\"}");
  }

  @Test
  void stringsAreEscapedAsGoDoes() {
    StringBuilder out = new StringBuilder();
    GatewayJson.quote("a<b>&c\"d\\e\nf\u0001g'h=i\u2028", out);
    assertThat(out.toString())
        .isEqualTo("\"a\\u003cb\\u003e\\u0026c\\\"d\\\\e\\nf\\u0001g'h=i\\u2028\"");
  }

  @Test
  void requestsAreReadUnderProtoAndCamelCaseNamesWithEnumsByNameOrNumber() throws Exception {
    TxnRequest t =
        (TxnRequest)
            read(
                "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"Zm9v\",\"createRevision\":\"2\","
                    + "\"result\":1}],\"success\":[{\"requestPut\":{\"key\":\"Zm9v\",\"value\":\"YmFy\"}}],"
                    + "\"failure\":[{\"request_range\":{\"key\":\"Zm9v\",\"limit\":3}}],\"unknown\":[1]}",
                TxnRequest.getDefaultInstance());
    assertThat(t.getCompare(0).getTarget()).isEqualTo(Compare.CompareTarget.CREATE);
    assertThat(t.getCompare(0).getResult()).isEqualTo(Compare.CompareResult.GREATER);
    assertThat(t.getCompare(0).getCreateRevision()).isEqualTo(2);
    assertThat(t.getSuccess(0).getRequestPut().getValue().toStringUtf8()).isEqualTo("bar");
    assertThat(t.getFailure(0).getRequestRange().getLimit()).isEqualTo(3);
    WatchCreateRequest w =
        (WatchCreateRequest)
            read(
                "{\"key\":\"Zm9v\",\"filters\":[\"NODELETE\"],\"prev_kv\":true,\"range_end\":null}",
                WatchCreateRequest.getDefaultInstance());
    assertThat(w.getFiltersList()).containsExactly(WatchCreateRequest.FilterType.NODELETE);
    assertThat(w.getPrevKv()).isTrue();
  }

  /** Bodies and the error etcd 3.4.23's gateway answered for each (a RangeRequest). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"key\": | unexpected EOF",
        "{\"key\" | unexpected EOF",
        "{\"key\":\"Zm9v\", | unexpected EOF",
        "[ | unexpected EOF",
        "xx | invalid character 'x' looking for beginning of value",
        "{\"key\":\"Zm9v==\"} | illegal base64 data at input byte 4",
        "{\"key\":\"Zm9v_\"} | illegal base64 data at input byte 4",
        "{\"key\":5} | json: cannot unmarshal number into Go value of type []uint8",
        "{\"key\":\"Zm9v\",\"limit\":\"abc\"} | invalid character 'a' looking for beginning of value",
        "{\"key\":\"Zm9v\",\"sort_order\":\"FOO\"} | unknown value \"FOO\" for enum"
            + " etcdserverpb.RangeRequest_SortOrder",
        "{\"key\":\"Zm9v\" x} | invalid character 'x' after object key:value pair",
        "[1] | json: cannot unmarshal array into Go value of type map[string]json.RawMessage",
        "{\"key\":\"Zm9v\",\"limit\":1.5} | json: cannot unmarshal number 1.5 into Go value of type"
            + " int64",
        "{\"key\" 1} | invalid character '1' after object key",
        "{,} | invalid character ',' looking for beginning of object key string",
        "{\"serializable\":tru} | invalid character '}' in literal true (expecting 'e')",
        "{\"serializable\":\"true\"} | json: cannot unmarshal string into Go value of type bool",
      })
  void malformedBodiesFailWithGosText(String body, String expected) {
    assertThatThrownBy(() -> read(body, RangeRequest.getDefaultInstance()))
        .isInstanceOf(GatewayJson.DecodeException.class)
        .hasMessage(expected);
  }

  @Test
  void anEmptyBodyOrNullIsTheEmptyRequestAndTrailingDataIsIgnored() throws Exception {
    assertThat(read("", RangeRequest.getDefaultInstance()))
        .isEqualTo(RangeRequest.getDefaultInstance());
    assertThat(read("null", RangeRequest.getDefaultInstance()))
        .isEqualTo(RangeRequest.getDefaultInstance());
    assertThat(
            ((RangeRequest) read("{\"key\":\"Zm9v\"} xx", RangeRequest.getDefaultInstance()))
                .getKey())
        .isEqualTo(utf8("foo"));
  }

  @Test
  void aStreamBodyIsReadAsItArrivesUntilTheFirstRequestThatFails() {
    GatewayRequests.Framer framer =
        new GatewayRequests.Framer(RangeRequest.getDefaultInstance(), 1 << 20);
    assertThat(framer.next(chunk("{\"key\":\"YQ==\"} {\"key\":\"Yg")))
        .extracting(d -> ((RangeRequest) d.request().orElseThrow()).getKey().toStringUtf8())
        .containsExactly("a");
    List<GatewayRequests.Decoded> rest = framer.next(chunk("==\"}{\"key\":5}{\"key\":\"Yw==\"}"));
    assertThat(rest).hasSize(2);
    assertThat(((RangeRequest) rest.get(0).request().orElseThrow()).getKey().toStringUtf8())
        .isEqualTo("b");
    assertThat(rest.get(1).failure())
        .isEqualTo("json: cannot unmarshal number into Go value of type []uint8");
    assertThat(framer.next(Optional.empty())).isEmpty();

    GatewayRequests.Framer cut =
        new GatewayRequests.Framer(RangeRequest.getDefaultInstance(), 1 << 20);
    assertThat(cut.next(chunk("  {\"key\""))).isEmpty();
    assertThat(cut.next(Optional.empty()))
        .extracting(GatewayRequests.Decoded::failure)
        .containsExactly("unexpected EOF");
  }

  private static Optional<org.apache.pekko.util.ByteString> chunk(String s) {
    return Optional.of(org.apache.pekko.util.ByteString.fromString(s));
  }

  @Test
  void theAuthorizationHeaderAndGrpcMetadataHeadersReachTheCallAsGrpcGatewayForwardsThem() {
    var md =
        JsonGateway.metadata(
            org.apache.pekko.http.javadsl.model.HttpRequest.POST("/v3/watch")
                .addHeader(RawHeader.create("Authorization", "wwhspQQcNCzmFvEU.53"))
                .addHeader(RawHeader.create("Grpc-Metadata-Hasleader", "true"))
                .addHeader(RawHeader.create("X-Other", "dropped")));
    assertThat(md.getText("token")).contains("wwhspQQcNCzmFvEU.53");
    assertThat(md.getText("authorization")).contains("wwhspQQcNCzmFvEU.53");
    assertThat(md.getText("hasleader")).contains("true");
    assertThat(md.getText("x-other")).isEmpty();
  }

  @Test
  void errorsAreShapedAsGrpcGatewayV19ShapesThem() {
    Status s = Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists");
    assertThat(GatewayStatus.httpStatus(s.getCode())).isEqualTo(412);
    assertThat(GatewayStatus.errorBody(s))
        .isEqualTo(
            "{\"error\":\"etcdserver: lease already exists\",\"message\":\"etcdserver: lease already"
                + " exists\",\"code\":9}");
    assertThat(
            GatewayStatus.streamError(Status.UNAVAILABLE.withDescription("etcdserver: no leader")))
        .isEqualTo(
            "{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no leader\","
                + "\"http_status\":\"Service Unavailable\"}}");
  }

  private static com.google.protobuf.Message read(String body, com.google.protobuf.Message proto)
      throws GatewayJson.DecodeException {
    return JsonGateway.readOne(new GoJson(bytes(body)), proto);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
