package dev.dynport.check.util;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

/**
 * Text that can be read from the start more than once, without being held: a section of a snapshot file is
 * decoded again from the file region each time it is opened, so a parser's memory follows one line, not the
 * section. A reader that finds the source changed since it was first read throws an {@link IOException} that
 * says so.
 */
@FunctionalInterface
public interface TextSource {
    Reader open() throws IOException;

    static TextSource of(String text) {
        return new OfString(text);
    }

    /** A named class, not a lambda: every section of a check is read through one (docs/startup.md). */
    final class OfString implements TextSource {
        private final String text;

        OfString(String text) {
            this.text = text;
        }

        @Override
        public Reader open() {
            return new StringReader(text);
        }
    }
}
