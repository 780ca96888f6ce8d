package io.keepsake.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsDemoTest {
    @TempDir
    Path tmp;

    @Test
    void countsAndRecentFilesSurviveARestart() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        assertEquals(1L, SettingsDemo.run(tmp, "search", new SettingsDemo.RecentFile("a.txt", 1), out));
        assertEquals(2L, SettingsDemo.run(tmp, "search", new SettingsDemo.RecentFile("b.txt", 2), out));
        assertTrue(text.toString().contains("recent files:   [RecentFile[path=b.txt, line=2], RecentFile[path=a.txt,"
                + " line=1]]"), text.toString());
    }
}
