package dev.dynport.check.acquire;

/**
 * Strict UTF-8 validation in place (RFC 3629): what a REPORTing CharsetDecoder accepts, without building its
 * CharBuffer. Rejects overlong forms, UTF-16 surrogates (CESU-8) and code points above U+10FFFF.
 */
final class Utf8 {
    private Utf8() {
    }

    static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c == 0xE0) {
                n = 2;
                lo = 0xA0;
            } else if (c == 0xED) {
                n = 2;
                hi = 0x9F;
            } else if (c >= 0xE1 && c <= 0xEF) {
                n = 2;
            } else if (c == 0xF0) {
                n = 3;
                lo = 0x90;
            } else if (c == 0xF4) {
                n = 3;
                hi = 0x8F;
            } else if (c >= 0xF1 && c <= 0xF3) {
                n = 3;
            } else {
                return false;
            }
            if (to - i <= n) {
                return false;
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                int cont = b[i + k] & 0xFF;
                if (cont < 0x80 || cont > 0xBF) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }
}
