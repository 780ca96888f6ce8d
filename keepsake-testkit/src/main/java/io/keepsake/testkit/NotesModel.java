package io.keepsake.testkit;

import io.keepsake.prevalent.Command;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The prevalent model of the {@link StoreCompatibilityKit}'s snapshot suite: notes by name. Public for the codec. */
public final class NotesModel {
    /** The notes; a sorted map so that snapshots are deterministic. */
    public Map<String, String> entries = new TreeMap<>();

    /**
     * Sets a note.
     *
     * @param name the note's name
     * @param text its text
     */
    public record Put(String name, String text) implements Command<NotesModel, Integer> {
        @Override
        public Integer execute(NotesModel notes, Instant time) {
            notes.entries.put(name, text);
            return notes.entries.size();
        }
    }
}
