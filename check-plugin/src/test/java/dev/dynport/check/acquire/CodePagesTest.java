package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodePagesTest {

    @Test
    void codePageNumberAsChcpPrintsItNamesTheOemCharset() {
        assertEquals(Optional.of(Charset.forName("IBM850")), CodePages.forName("850"));
        assertEquals(Optional.of(Charset.forName("IBM437")), CodePages.forName("437"));
        assertEquals(Optional.of(Charset.forName("windows-1252")), CodePages.forName("1252"));
    }

    @Test
    void codePage65001IsUtf8() {
        assertEquals(Optional.of(StandardCharsets.UTF_8), CodePages.forName("65001"));
    }

    @Test
    void eastAsianCodePagesDecodeTheirDoubleByteText() {
        // Japanese and Chinese netsh wording ("excluded port ranges"), as the console prints it in 932 and 936
        String ja = "\u9664\u5916\u3055\u308c\u305f\u30dd\u30fc\u30c8\u7bc4\u56f2";
        String zh = "\u6392\u9664\u7684\u7aef\u53e3\u8303\u56f4";
        byte[] shiftJis = ja.getBytes(Charset.forName("windows-31j"));
        byte[] gbk = zh.getBytes(Charset.forName("GBK"));
        assertEquals(ja, new String(shiftJis, CodePages.forName("932").orElseThrow()));
        assertEquals(zh, new String(gbk, CodePages.forName("936").orElseThrow()));
    }

    @Test
    void javaCharsetNamesAreTakenAsTheyAre() {
        assertEquals(Optional.of(Charset.forName("IBM850")), CodePages.forName("IBM850"));
        assertEquals(Optional.of(StandardCharsets.UTF_8), CodePages.forName("utf-8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nope-42", "99999", "IBM 850", "-850", "cp_850!"})
    void unknownOrMalformedNamesGiveNothing(String name) {
        assertTrue(CodePages.forName(name).isEmpty(), name);
    }
}
