package dev.kafkalearn.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A list of HTTP request headers as one setting holds it: {@code Name: value; Other-Name: value}. A value may hold ';'
 * (as a media type's parameters do): the list is split only at a ';' followed by the next header's {@code Name:}.
 */
public final class HeaderList {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern NEXT_HEADER = Pattern.compile(";\\s*(?=" + TOKEN + "\\s*:)");
    private static final Pattern HEADER = Pattern.compile("\\s*(" + TOKEN + ")\\s*:(.*)", Pattern.DOTALL);

    private HeaderList() {
    }

    /** The headers, in order (empty text: none). */
    public static List<Map.Entry<String, String>> parse(String text) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return headers;
        }
        for (String header : NEXT_HEADER.split(text.trim())) {
            var matcher = HEADER.matcher(header);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("not a header: no 'Name:'");
            }
            headers.add(Map.entry(matcher.group(1), matcher.group(2).trim()));
        }
        return headers;
    }

    /** Can {@link #parse} read it? */
    public static boolean valid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
