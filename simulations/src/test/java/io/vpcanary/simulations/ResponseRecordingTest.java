package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.probe.ErrorClass;
import org.junit.jupiter.api.Test;

/** The status-to-error-class rules of {@link ResponseRecording#errorClassOf}. */
class ResponseRecordingTest {

    @Test
    void passedAnswersHaveNoErrorClass() {
        assertThat(ResponseRecording.errorClassOf(200, null, true)).isNull();
        assertThat(ResponseRecording.errorClassOf(null, null, true)).isNull();
    }

    @Test
    void noAnswerIsProtocolAndAFailedCheckOnAGoodStatusIsAssertion() {
        assertThat(ResponseRecording.errorClassOf(null, null, false)).isEqualTo(ErrorClass.PROTOCOL);
        assertThat(ResponseRecording.errorClassOf(200, null, false)).isEqualTo(ErrorClass.ASSERTION);
        assertThat(ResponseRecording.errorClassOf(302, null, false)).isEqualTo(ErrorClass.ASSERTION);
    }

    @Test
    void authDenialsFollowTheProbesRules() {
        assertThat(ResponseRecording.errorClassOf(401, null, false)).isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(ResponseRecording.errorClassOf(403, "InvalidSignatureException", false))
                .isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(ResponseRecording.errorClassOf(403, "IncompleteSignatureException:http://internal.amazon.com/", false))
                .isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(ResponseRecording.errorClassOf(403, "AccessDeniedException", false)).isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(ResponseRecording.errorClassOf(403, "UnrecognizedClientException", false))
                .isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(ResponseRecording.errorClassOf(403, null, false)).isEqualTo(ErrorClass.FORBIDDEN);
        assertThat(ResponseRecording.errorClassOf(403, "ForbiddenException", false)).isEqualTo(ErrorClass.FORBIDDEN);
    }

    @Test
    void otherErrorStatuses() {
        assertThat(ResponseRecording.errorClassOf(429, null, false)).isEqualTo(ErrorClass.THROTTLED);
        assertThat(ResponseRecording.errorClassOf(404, null, false)).isEqualTo(ErrorClass.HTTP_4XX);
        assertThat(ResponseRecording.errorClassOf(500, null, false)).isEqualTo(ErrorClass.HTTP_5XX);
        assertThat(ResponseRecording.errorClassOf(504, null, false)).isEqualTo(ErrorClass.HTTP_5XX);
    }
}
