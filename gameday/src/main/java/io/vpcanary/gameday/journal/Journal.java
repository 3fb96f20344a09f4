package io.vpcanary.gameday.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The game-day journal: every change a game day makes is written here, and forced to disk, <em>before</em> it is
 * made, with what puts it back (the previous values, never defaults); a second line once the change is made adds what
 * was learnt in making it (a lab fault's id, an experiment's id); a third once it is restored. So that whatever ends
 * the process (success, failure, Ctrl-C, SIGKILL, a power cut), {@code vpcanary gameday restore} finds every change
 * not yet put back and puts it back, newest first.
 *
 * <p>The file is JSON lines, one event per line: {@code {"event":"begin","id","kind","what","restore":{...},"at"}},
 * {@code {"event":"applied","id","restore":{...},"at"}}, {@code {"event":"restored","id","at"}}. Nothing secret is
 * written: endpoints, ids, names and previous values only (credentials come from the SDK's chain or the lab's
 * environment file at restore time). Thread-safe.
 */
public final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;

    /** A change not yet restored: its id, kind, description and what restores it. */
    public record Change(String id, String kind, String what, JsonNode restore) {
    }

    private Journal(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = clock;
    }

    /** The journal at {@code file} (created on the first write). */
    public static Journal at(Path file) {
        return new Journal(file, Clock.systemUTC());
    }

    public Path file() {
        return file;
    }

    /** Writes (and forces to disk) that a change is about to be made; answers its id. */
    public synchronized String begin(String kind, String what, JsonNode restore) {
        String id = UUID.randomUUID().toString();
        ObjectNode e = JSON.createObjectNode().put("event", "begin").put("id", id).put("kind", kind)
                .put("what", what);
        e.set("restore", restore);
        append(e);
        return id;
    }

    /** Writes that change {@code id} was made, with what restores it now that it is made. */
    public synchronized void applied(String id, JsonNode restore) {
        ObjectNode e = JSON.createObjectNode().put("event", "applied").put("id", id);
        e.set("restore", restore);
        append(e);
    }

    /** Writes that change {@code id} was put back. */
    public synchronized void restored(String id) {
        append(JSON.createObjectNode().put("event", "restored").put("id", id));
    }

    /** The changes begun and not restored, oldest first, each with its latest restore information. */
    public synchronized List<Change> pending() {
        if (!Files.exists(file)) {
            return List.of();
        }
        Map<String, Change> open = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the game-day journal " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException torn) {
                continue; // a line torn by a kill mid-write: its change was not made yet
            }
            String id = e.path("id").asText();
            switch (e.path("event").asText()) {
                case "begin" -> open.put(id, new Change(id, e.path("kind").asText(), e.path("what").asText(),
                        e.path("restore")));
                case "applied" -> open.computeIfPresent(id, (k, c) -> new Change(c.id(), c.kind(), c.what(),
                        e.path("restore")));
                case "restored" -> open.remove(id);
                default -> { }
            }
        }
        return List.copyOf(new ArrayList<>(open.values()));
    }

    private void append(ObjectNode e) {
        e.put("at", clock.instant().toString());
        byte[] line = (e.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the game-day journal " + file + ": " + ex.getMessage(), ex);
        }
    }
}
