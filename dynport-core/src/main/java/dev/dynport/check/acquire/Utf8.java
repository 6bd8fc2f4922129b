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

    /** {@link #isValid} fed one byte at a time, for input read as a stream: the same verdict on the same bytes. */
    static final class Validator {
        private int need;
        private int lo = 0x80;
        private int hi = 0xBF;
        private boolean failed;

        void feed(int b) {
            if (failed) {
                return;
            }
            if (need > 0) {
                if (b < lo || b > hi) {
                    failed = true;
                }
                need--;
                lo = 0x80;
                hi = 0xBF;
                return;
            }
            if (b < 0x80) {
                return;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b == 0xE0) {
                need = 2;
                lo = 0xA0;
            } else if (b == 0xED) {
                need = 2;
                hi = 0x9F;
            } else if (b >= 0xE1 && b <= 0xEF) {
                need = 2;
            } else if (b == 0xF0) {
                need = 3;
                lo = 0x90;
            } else if (b == 0xF4) {
                need = 3;
                hi = 0x8F;
            } else if (b >= 0xF1 && b <= 0xF3) {
                need = 3;
            } else {
                failed = true;
            }
        }

        /** Whether every byte fed so far forms valid UTF-8 with no sequence left open. */
        boolean valid() {
            return !failed && need == 0;
        }
    }
}
