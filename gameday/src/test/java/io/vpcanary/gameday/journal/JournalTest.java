package io.vpcanary.gameday.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.gameday.inject.Restorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: a change is pending from its begin line until its restored line, with its latest restore data. */
class JournalTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChangeIsPendingUntilRestoredWithItsLatestRestoreData() {
        Journal j = Journal.at(dir.resolve("sub/journal.jsonl"));
        assertThat(j.pending()).isEmpty();
        String a = j.begin("COMMAND", "first", JSON.createObjectNode().put("step", 1));
        String b = j.begin("COMMAND", "second", JSON.createObjectNode().put("step", 1));
        j.applied(b, JSON.createObjectNode().put("step", 2));
        assertThat(j.pending()).extracting(Journal.Change::what).containsExactly("first", "second");
        assertThat(j.pending().get(1).restore().path("step").asInt()).isEqualTo(2);
        j.restored(a);
        assertThat(j.pending()).extracting(Journal.Change::id).containsExactly(b);
    }

    @Test
    void aLineTornByAKillIsIgnoredAndNothingSecretIsWritten() throws Exception {
        Path file = dir.resolve("journal.jsonl");
        Journal j = Journal.at(file);
        j.begin("HEALTH_CHECK_INVERSION", "hc", JSON.createObjectNode().put("healthCheckId", "abc")
                .put("previousInverted", false));
        Files.writeString(file, "{\"event\":\"begin\",\"id\":\"x\",\"ki", StandardOpenOption.APPEND);
        assertThat(j.pending()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo("HEALTH_CHECK_INVERSION"));
        assertThat(Files.readString(file)).doesNotContainIgnoringCase("secret").doesNotContain("token");
    }

    @Test
    void restoreAllRestoresNewestFirstAndKeepsWhatFailedPending() {
        Journal j = Journal.at(dir.resolve("journal.jsonl"));
        String first = j.begin("COMMAND", "first", JSON.createObjectNode().putPOJO("restore", List.of("true")));
        String broken = j.begin("COMMAND", "broken", JSON.createObjectNode().putPOJO("restore", List.of("false")));
        String last = j.begin("COMMAND", "last", JSON.createObjectNode().putPOJO("restore", List.of("true")));
        List<String> order = new ArrayList<>();
        List<Restorer.Restored> done = new Restorer(u -> null).restoreAll(j);
        done.forEach(r -> order.add(r.change().what() + ":" + r.ok()));
        assertThat(order).containsExactly("last:true", "broken:false", "first:true");
        assertThat(j.pending()).extracting(Journal.Change::id).containsExactly(broken);
        assertThat(first).isNotEqualTo(last);
    }
}
