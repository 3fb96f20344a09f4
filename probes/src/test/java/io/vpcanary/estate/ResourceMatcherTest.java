package io.vpcanary.estate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceMatcherTest {

    @Test
    void literalsWinOverParametersAndTheDefaultRouteCatchesTheRest() {
        ResourceMatcher m = new ResourceMatcher(List.of("$default", "/orders/{id}", "/orders/latest", "/files/{proxy+}"));
        assertThat(m.match("/orders/latest")).contains("/orders/latest");
        assertThat(m.match("/orders/42")).contains("/orders/{id}");
        assertThat(m.match("/files/a/b/c")).contains("/files/{proxy+}");
        assertThat(m.match("/files")).contains("$default");
        assertThat(m.match("/prod/orders/42")).contains("$default");
    }

    @Test
    void withoutTheDefaultRouteAnUnknownPathMatchesNothingAndNoResourcesServeEverything() {
        ResourceMatcher m = new ResourceMatcher(List.of("/orders/{id}", "/files/{proxy+}"));
        assertThat(m.match("/orders")).isEmpty();
        assertThat(m.match("/orders/1/2")).isEmpty();
        assertThat(m.match("/files")).isEmpty();
        assertThat(new ResourceMatcher(List.of()).match("/anything/at/all")).contains("/anything/at/all");
    }
}
