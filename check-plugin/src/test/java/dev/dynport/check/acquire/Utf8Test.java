package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-place validator must accept exactly what the strict JDK decoder the reader used before accepts. */
class Utf8Test {
    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnSeededRandomBytes() {
        Random random = new Random(8);
        // Bytes drawn mostly from the lead and continuation ranges, so that near-valid sequences are common.
        int[] pool = {0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE,
            0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF};
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) pool[random.nextInt(pool.length)];
            }
            assertEquals(jdkAccepts(b), Utf8.isValid(b, 0, b.length), () -> Arrays.toString(b));
        }
    }
}
