package dev.kafkalearn.source;

import dev.kafkalearn.source.JsonArrayElements.SourceFormatException;
import dev.kafkalearn.source.JsonArrayElements.SourceReadException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The source's JSON array read in one pass over its bytes, one element at a time: where the element begins and ends,
 * its bytes less the whitespace between tokens, and where its key's value is ({@link RecordKey}), while checking that
 * it is well-formed JSON (RFC 8259, UTF-8). No tokens, no strings, no tree: the element's bytes are copied in runs
 * between two whitespaces (one copy for an element written without any).
 * <p>
 * Jackson's streaming parser did this before, followed by a second pass over each element for its whitespace: the
 * two took the largest share of the HTTP → Kafka JVM's CPU (a profile of the benchmark's source row). Memory: a 64 KB
 * window of the answer and the current element.
 */
final class ElementScanner {

    /** Jackson's default limit (StreamReadConstraints): deeper is refused, not a stack overflow. */
    private static final int MAX_DEPTH = 1000;
    /** String bytes copied as they are: printable ASCII but the quote and the backslash. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int b = 0x20; b < 0x80; b++) {
            PLAIN[b] = b != '"' && b != '\\';
        }
    }

    /** A window's eight bytes from an index as one long (the order does not matter to {@link #plain}). */
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final RecordKey key;
    private final byte[] window = new byte[64 * 1024];
    private int pos;
    private int limit;
    /** The answer's offset of window[0]. */
    private long base;
    private boolean ended;
    /** The current element, compact: out[0..n), then window[run..pos) (the bytes read since the last whitespace). */
    private byte[] out = new byte[4096];
    private int n;
    private int run;
    /** Containers open, the array's own included. */
    private int depth = 1;
    /** Where the key's value is in the element (keyStart -1: none found). */
    private int keyStart;
    private int keyEnd;
    private boolean more;

    ElementScanner(InputStream in, RecordKey key) {
        this.in = in;
        this.key = key;
    }

    /** Reads up to the array's first element; false when the array is empty. */
    boolean start() throws IOException {
        int b = peek();
        if (b == 0xEF) {
            // a UTF-8 byte order mark
            pos++;
            if (next() != 0xBB || next() != 0xBF) {
                throw new SourceFormatException("the source's answer is not UTF-8 JSON");
            }
            b = peek();
        }
        if (b == 0 || b == 0xFE || b == 0xFF) {
            throw new SourceFormatException("the source's answer is not UTF-8 JSON");
        }
        b = nextTokenOrEnd();
        if (b != '[') {
            throw new SourceFormatException(switch (b) {
                case -1 -> "the source answered an empty body, not a JSON array";
                case '{' -> "the source answered a JSON object, not a JSON array";
                case '"' -> "the source answered a JSON string, not a JSON array";
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "the source answered a JSON number, not a JSON array";
                case 't', 'f' -> "the source answered a JSON boolean, not a JSON array";
                case 'n' -> "the source answered JSON null, not a JSON array";
                default -> "the source did not answer with JSON: its answer begins with " + shown(b);
            });
        }
        b = nextToken();
        if (b != ']') {
            pos--;
            more = true;
        }
        return more;
    }

    /** Whether another element follows the last one read. */
    boolean more() {
        return more;
    }

    /** The next element, and whether one follows it (more()). */
    SourceElement element() throws IOException {
        n = 0;
        run = pos;
        keyStart = -1;
        int b = nextToken();
        value(b, key == null ? -1 : 0);
        byte[] json;
        if (n == 0) {
            json = Arrays.copyOfRange(window, run, pos);
        } else {
            flush();
            json = Arrays.copyOf(out, n);
        }
        run = pos;
        b = nextToken();
        if (b == ']') {
            more = false;
        } else if (b != ',') {
            throw unexpected(b, "',' or ']' after an element");
        }
        return new SourceElement(json, keyStart < 0 ? null : key.text(json, keyStart, keyEnd));
    }

    /** After the array: whether anything but whitespace follows it (in what the answer has next). */
    boolean trailing() throws IOException {
        return nextTokenOrEnd() != -1;
    }

    /** A value whose first byte was read; level: the key's path level it is at (-1: off the key's path). */
    private void value(int b, int level) throws IOException {
        switch (b) {
            case '{' -> object(level);
            case '[' -> array(level);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number(b);
            default -> throw unexpected(b, "a value");
        }
    }

    private void object(int level) throws IOException {
        enter();
        int b = nextToken();
        if (b != '}') {
            while (true) {
                if (b != '"') {
                    throw unexpected(b, "a field name");
                }
                int name = at();
                boolean escaped = string();
                RecordKey.Match match = level < 0 ? RecordKey.Match.NO : field(level, name + 1, at(), escaped);
                b = nextToken();
                if (b != ':') {
                    throw unexpected(b, "':' after a field name");
                }
                member(nextToken(), level, match);
                b = nextToken();
                if (b == '}') {
                    break;
                }
                if (b != ',') {
                    throw unexpected(b, "',' or '}' in an object");
                }
                b = nextToken();
            }
        }
        depth--;
    }

    private void array(int level) throws IOException {
        enter();
        int b = nextToken();
        if (b != ']') {
            for (int index = 0; ; index++) {
                member(b, level, level < 0 ? RecordKey.Match.NO : key.element(level, index));
                b = nextToken();
                if (b == ']') {
                    break;
                }
                if (b != ',') {
                    throw unexpected(b, "',' or ']' in an array");
                }
                b = nextToken();
            }
        }
        depth--;
    }

    /** A field's value or an array's element, which may be the key, or hold it. */
    private void member(int b, int level, RecordKey.Match match) throws IOException {
        switch (match) {
            case VALUE -> {
                int start = at();
                value(b, -1);
                if (keyStart < 0 || !key.firstWins()) {
                    keyStart = start;
                    keyEnd = at() + 1;
                }
            }
            case INSIDE -> {
                // the last of duplicate fields counts, as in Jackson's tree: what an earlier one held is forgotten
                keyStart = -1;
                value(b, level + 1);
            }
            default -> value(b, -1);
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw malformed("nesting deeper than " + MAX_DEPTH);
        }
    }

    /** A string whose opening quote was read: its bytes as they are (escapes kept), checked; whether it has escapes. */
    private boolean string() throws IOException {
        boolean escaped = false;
        while (true) {
            if (pos == limit && !fill()) {
                throw truncated();
            }
            // the plain bytes skipped, eight at a time while there are eight, in locals (the fields written once):
            // the scanner's hottest loop, a third of the reading thread's samples byte by byte
            byte[] bytes = window;
            int at = pos;
            int end = limit;
            while (at + Long.BYTES <= end && plain((long) EIGHT_BYTES.get(bytes, at))) {
                at += Long.BYTES;
            }
            while (at < end && PLAIN[bytes[at] & 0xFF]) {
                at++;
            }
            pos = at;
            if (pos == limit) {
                continue;
            }
            int b = window[pos++] & 0xFF;
            if (b == '"') {
                return escaped;
            }
            if (b == '\\') {
                escape();
                escaped = true;
            } else if (b < 0x20) {
                throw malformed("a control character (code " + b + ") in a string: it has to be escaped");
            } else {
                utf8(b);
            }
        }
    }

    /**
     * Whether eight bytes are all plain (as {@link #PLAIN}): no quote, backslash, control character (below 0x20) or
     * byte of a multi-byte character (0x80 and above). A byte's top bit in {@code b - 0x01} marks a zero byte (after
     * the XOR: a quote or a backslash), in {@code b - 0x20} a byte below 0x20, in {@code b} itself a byte from 0x80;
     * a borrow into the next byte comes only from a byte marked already.
     */
    private static boolean plain(long bytes) {
        long quote = bytes ^ 0x2222222222222222L;
        long backslash = bytes ^ 0x5C5C5C5C5C5C5C5CL;
        long marked = (quote - 0x0101010101010101L) | (backslash - 0x0101010101010101L)
                | (bytes - 0x2020202020202020L) | bytes;
        return (marked & 0x8080808080808080L) == 0;
    }

    private void escape() throws IOException {
        int b = next();
        switch (b) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
            case 'u' -> {
                for (int i = 0; i < 4; i++) {
                    int h = next();
                    if (Character.digit(h, 16) < 0) {
                        throw malformed("a \\u escape with a non-hex character " + shown(h));
                    }
                }
            }
            default -> throw malformed("an unrecognized escape \\" + shown(b) + " in a string");
        }
    }

    /** A multi-byte UTF-8 character whose lead byte was read. */
    private void utf8(int lead) throws IOException {
        int follow;
        if (lead >= 0xC2 && lead <= 0xDF) {
            follow = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            follow = 2;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            follow = 3;
        } else {
            throw malformed(String.format("Invalid UTF-8 start byte 0x%02x", lead));
        }
        for (int i = 0; i < follow; i++) {
            int b = next();
            if ((b & 0xC0) != 0x80) {
                throw malformed(String.format("Invalid UTF-8 middle byte 0x%02x", b));
            }
        }
    }

    private void literal(String word) throws IOException {
        for (int i = 1; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw malformed("an unrecognized token (expected '" + word + "')");
            }
        }
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? whose first byte was read. */
    private void number(int first) throws IOException {
        int lead = first == '-' ? digit() : first;
        if (lead == '0') {
            if (isDigit(peek())) {
                throw malformed("a number with a leading zero");
            }
        } else {
            digits();
        }
        if (peek() == '.') {
            pos++;
            digit();
            digits();
        }
        int b = peek();
        if (b == 'e' || b == 'E') {
            pos++;
            b = peek();
            if (b == '+' || b == '-') {
                pos++;
            }
            digit();
            digits();
        }
    }

    private int digit() throws IOException {
        int b = next();
        if (!isDigit(b)) {
            throw malformed("a number without digits where one was expected, found " + shown(b));
        }
        return b;
    }

    private void digits() throws IOException {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** The element's offset of the last byte read. */
    private int at() {
        return n + pos - run - 1;
    }

    /** The bytes read since the last whitespace go to out. */
    private void flush() {
        int length = pos - run;
        if (n + length > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, n + length));
        }
        System.arraycopy(window, run, out, n, length);
        n += length;
        run = pos;
    }

    /** The field name at the element's offsets from..to (its quotes around), to the key: compared where it is. */
    private RecordKey.Match field(int level, int from, int to, boolean escaped) {
        if (from - 1 >= n) {
            int start = run + from - n;
            return key.field(level, window, start, start + to - from, escaped);
        }
        flush();
        return key.field(level, out, from, to, escaped);
    }

    // --- reading the answer ----------------------------------------------------------------------------------------

    private int next() throws IOException {
        if (pos == limit && !fill()) {
            throw truncated();
        }
        return window[pos++] & 0xFF;
    }

    /** The next byte without reading it; -1 at the end of the answer. */
    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return window[pos] & 0xFF;
    }

    private int nextToken() throws IOException {
        int b = nextTokenOrEnd();
        if (b < 0) {
            throw truncated();
        }
        return b;
    }

    private int nextTokenOrEnd() throws IOException {
        while (true) {
            if (pos == limit && !fill()) {
                return -1;
            }
            int b = window[pos++] & 0xFF;
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
            // a whitespace: what was read before it is kept, the whitespace is not
            pos--;
            if (pos > run) {
                flush();
            }
            run = ++pos;
        }
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        flush();
        base += limit;
        pos = 0;
        limit = 0;
        run = 0;
        int read;
        do {
            read = in.read(window, 0, window.length);
        } while (read == 0);
        if (read < 0) {
            ended = true;
            return false;
        }
        limit = read;
        return true;
    }

    private SourceReadException truncated() {
        return new SourceReadException("the answer ended before its JSON array did (truncated)");
    }

    private SourceFormatException unexpected(int b, String expected) {
        return malformed("unexpected character " + shown(b) + ": expected " + expected);
    }

    private SourceFormatException malformed(String reason) {
        return new SourceFormatException("the source's JSON array is malformed: " + reason + " at byte "
                + (base + pos - 1));
    }

    private static String shown(int b) {
        return b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : String.format("0x%02x", b);
    }
}
