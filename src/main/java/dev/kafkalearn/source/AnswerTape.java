package dev.kafkalearn.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The source's answer as it is read, kept from the start of the element being parsed on: the parser reads through
 * it, and the element's bytes are copied out once the parser found its end. Memory: one element plus the parser's
 * read-ahead, whatever the size of the answer.
 */
final class AnswerTape extends InputStream {

    private final InputStream in;
    private byte[] bytes = new byte[64 * 1024];
    /** The answer's offset of bytes[0]. */
    private long base;
    private int length;
    /** Bytes before this offset of the answer are no longer needed. */
    private long kept;
    private boolean ended;

    AnswerTape(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            append(new byte[] {(byte) b}, 0, 1);
        } else {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] into, int offset, int max) throws IOException {
        int n = in.read(into, offset, max);
        if (n > 0) {
            append(into, offset, n);
        } else if (n < 0) {
            ended = true;
        }
        return n;
    }

    /** Whether the offset is where the answer ended (a parse failing there was cut short, not malformed). */
    boolean endsAt(long offset) {
        return ended && offset >= base + length;
    }

    /** Bytes before this offset of the answer may be dropped. */
    void keepFrom(long offset) {
        kept = offset;
    }

    /**
     * The answer's bytes from..to, less the whitespace between JSON tokens (a well-formed JSON text: the parser read it).
     */
    byte[] compactCopy(long from, long to) {
        int start = (int) (from - base);
        int end = (int) (to - base);
        byte[] out = new byte[end - start];
        int n = 0;
        // bytes are copied in runs, between two whitespace bytes outside strings
        int run = start;
        boolean inString = false;
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                System.arraycopy(bytes, run, out, n, i - run);
                n += i - run;
                run = i + 1;
            }
        }
        System.arraycopy(bytes, run, out, n, end - run);
        n += end - run;
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private void append(byte[] from, int offset, int n) {
        if (length + n > bytes.length) {
            // drop what is no longer needed first; grow only for an element larger than the buffer
            int drop = (int) Math.min(Math.max(0, kept - base), length);
            System.arraycopy(bytes, drop, bytes, 0, length - drop);
            length -= drop;
            base += drop;
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }
        System.arraycopy(from, offset, bytes, length, n);
        length += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
