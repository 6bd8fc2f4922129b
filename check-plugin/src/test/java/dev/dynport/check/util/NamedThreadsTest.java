package dev.dynport.check.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Threads are named daemons, and what escapes one is logged with the thread's name (the logger is looked up late). */
class NamedThreadsTest {

    @Test
    void anExceptionThatEscapesIsLoggedWithTheThreadsName() throws Exception {
        Logger logger = Logger.getLogger(NamedThreads.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            Thread t = NamedThreads.numbered("probe").newThread(() -> {
                throw new IllegalStateException("boom");
            });
            assertEquals("probe-1", t.getName());
            assertTrue(t.isDaemon());
            t.start();
            t.join();
            synchronized (records) {
                assertEquals(1, records.size());
                assertEquals(Level.SEVERE, records.get(0).getLevel());
                assertEquals("uncaught in probe-1", records.get(0).getMessage());
                assertEquals("boom", records.get(0).getThrown().getMessage());
            }
        } finally {
            logger.removeHandler(handler);
        }
    }
}
