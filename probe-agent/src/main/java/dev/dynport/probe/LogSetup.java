package dev.dynport.probe;

import java.io.PrintStream;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging to a stream, one line per record: {@code 2026-11-28T07:41:00.123Z INFO message}. A stack
 * trace, when a record has one, follows on the next lines (for crashes only; never for expected failures).
 * Left alone when the operator configured logging with {@code -Djava.util.logging.config.file}.
 */
final class LogSetup {
    private LogSetup() {
    }

    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder();
            b.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(r.getLevel().getName()).append(' ')
                    .append(formatMessage(r).replace('\n', ' ').replace('\r', ' ')).append('\n');
            if (r.getThrown() != null) {
                var w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                b.append(w);
            }
            return b.toString();
        }
    }

    /** Installs the handler on the root logger; the returned handle removes it again (tests run many times). */
    static Runnable install(PrintStream err) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return () -> { };
        }
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] previous = root.getHandlers();
        for (Handler h : previous) {
            root.removeHandler(h);
        }
        Handler mine = new Handler() {
            private final Formatter formatter = new OneLine();

            @Override
            public synchronized void publish(LogRecord record) {
                if (isLoggable(record)) {
                    err.print(formatter.format(record));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                err.flush();
            }
        };
        mine.setLevel(Level.ALL);
        root.addHandler(mine);
        return () -> {
            root.removeHandler(mine);
            for (Handler h : previous) {
                root.addHandler(h);
            }
        };
    }
}
