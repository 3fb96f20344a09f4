package io.vpcanary.lab.http;

/**
 * Answers of the front door to requests it cannot even parse, before any API semantics apply. They are the lab's
 * own (AWS's edge answers these cases in ways its documentation does not pin down), JSON like every answer, and
 * the connection is closed after each.
 */
enum TransportError {
    /** Not HTTP/1.x, a malformed request line, header or chunk, or a request target that is not a path. */
    BAD_REQUEST(400, "{\"message\":\"Bad Request\"}"),
    /** The body exceeds {@code maxBodyBytes}. */
    TOO_LARGE(413, "{\"message\":\"Request Too Long\"}"),
    /** The request line exceeds {@code maxHeaderBytes}. */
    URI_TOO_LONG(414, "{\"message\":\"Request-URI Too Long\"}"),
    /** The headers exceed {@code maxHeaderBytes}. */
    HEADERS_TOO_LARGE(431, "{\"message\":\"Request Header Fields Too Large\"}");

    final int status;
    final String body;

    TransportError(int status, String body) {
        this.status = status;
        this.body = body;
    }

    Reply reply() {
        return new Reply(status, body, java.util.Map.of(), 0, true);
    }
}
