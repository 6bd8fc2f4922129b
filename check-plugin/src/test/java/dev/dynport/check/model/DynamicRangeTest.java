package dev.dynport.check.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DynamicRangeTest {
    @Test
    void holdsOnlyRangesWindowsCanHold() {
        assertEquals(65535, new DynamicRange(1024, 64512).end());
        assertEquals(65535, new DynamicRange(65281, 255).end());
        assertEquals("number of ports out of range [254] for start 6005",
                assertThrows(IllegalArgumentException.class, () -> new DynamicRange(6005, 254)).getMessage());
        assertEquals("start port out of range [1023]",
                assertThrows(IllegalArgumentException.class, () -> new DynamicRange(1023, 16384)).getMessage());
        assertEquals("number of ports out of range [256] for start 65281",
                assertThrows(IllegalArgumentException.class, () -> new DynamicRange(65281, 256)).getMessage());
        // a count that would overflow start + count - 1
        assertThrows(IllegalArgumentException.class, () -> new DynamicRange(6005, Integer.MAX_VALUE));
    }
}
