package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the source's next page is. One poll reads pages until there is none:
 * <ul>
 * <li>{@code none}: the source URL is the only page;</li>
 * <li>{@code page}: the URL plus {@code page=N&limit=S} (names and numbers are settings), from the first page on,
 * until a page is empty or shorter than the page size;</li>
 * <li>{@code link}: the URL of the {@code Link: <...>; rel="next"} response header (RFC 8288), until an answer has
 * none.</li>
 * </ul>
 * Settings are read at the start of every poll (so a changed setting applies to the next poll); the poll's state is the
 * exchange property {@value #PAGE_URL} (the page to fetch; null once done) plus a few of its own.
 */
public class SourcePages {

    /** Exchange property: the URL of the page to fetch next, or null when the poll has read every page. */
    public static final String PAGE_URL = "pageUrl";
    /** Exchange property: the raw query of {@value #PAGE_URL} ("" for none), for camel-http's CamelHttpRawQuery header
     * (which otherwise takes the source URL's own query over the page URL's). */
    public static final String PAGE_QUERY = "pageQuery";
    /** Exchange property: how many pages this poll fetched. */
    public static final String PAGES = "pages";

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");
    private static final String MODE = "kafkaLearnPagination";
    private static final String PAGE = "kafkaLearnPage";
    private static final String NEXT_LINK = "kafkaLearnNextLink";
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    /** rel="next", rel=next or rel="prev next" (a space-separated list of relation types, RFC 8288 section 3.3). */
    private static final Pattern REL_NEXT = Pattern.compile("(?i);\\s*rel\\s*=\\s*\"?([^\";,]*)\"?");

    /** Before the first page: reads the settings and sets {@value #PAGE_URL} to the first page's URL. */
    public void first(Exchange poll) {
        Settings settings = Settings.of(poll);
        poll.setProperty(MODE, settings);
        poll.setProperty(PAGES, 0);
        poll.setProperty(PAGE, settings.firstPage);
        setPage(poll, settings.mode.equals("page") ? settings.pageUrl(settings.firstPage) : settings.url);
    }

    /** Right after a page was fetched, before its body is read: notes its rel="next" link. */
    public void fetched(Exchange poll) {
        poll.setProperty(PAGES, poll.getProperty(PAGES, 0, Integer.class) + 1);
        String current = poll.getProperty(PAGE_URL, String.class);
        poll.setProperty(NEXT_LINK, nextLink(poll.getMessage().getHeader("Link", String.class), current));
    }

    /** After a page's elements were sent: {@value #PAGE_URL} becomes the next page's URL, or null at the end. */
    public void next(Exchange poll) {
        Settings settings = poll.getProperty(MODE, Settings.class);
        // every element of the page, sent or unchanged
        Number read = poll.getProperty(SourceRecords.READ, Number.class);
        long elements = read == null ? 0 : read.longValue();
        int pages = poll.getProperty(PAGES, 0, Integer.class);
        String next = switch (settings.mode) {
            case "page" -> {
                int page = poll.getProperty(PAGE, Integer.class) + 1;
                poll.setProperty(PAGE, page);
                yield elements == 0 || elements < settings.pageSize ? null : settings.pageUrl(page);
            }
            case "link" -> poll.getProperty(NEXT_LINK, String.class);
            default -> null;
        };
        if (next != null && pages >= settings.maxPages) {
            LOG.warn("Stopped reading {} after {} pages (SOURCE_MAX_PAGES); the next page would have been {}",
                    Secrets.mask(settings.url), pages, Secrets.mask(next));
            next = null;
        }
        setPage(poll, next);
    }

    private static void setPage(Exchange poll, String url) {
        poll.setProperty(PAGE_URL, url);
        String query = url == null ? null : URI.create(url).getRawQuery();
        poll.setProperty(PAGE_QUERY, query == null ? "" : query);
    }

    /** The target of the rel="next" link in an RFC 8288 Link header value, resolved against the page's URL. */
    static String nextLink(String header, String base) {
        if (header == null) {
            return null;
        }
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL_NEXT.matcher(link.group(2));
            while (rel.find()) {
                for (String type : rel.group(1).trim().split("\\s+")) {
                    if (type.toLowerCase(Locale.ROOT).equals("next")) {
                        return URI.create(base).resolve(link.group(1).trim()).toString();
                    }
                }
            }
        }
        return null;
    }

    /** A setting ({@code key} or {@code key:default}) as it is now: tests and reloads may change it between polls. */
    static String setting(Exchange exchange, String key) {
        return exchange.getContext().resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }

    private record Settings(String url, String mode, String pageParam, String limitParam, int pageSize, int firstPage,
                            int maxPages) {

        static Settings of(Exchange exchange) {
            String mode = setting(exchange, "source.pagination:none").toLowerCase(Locale.ROOT);
            if (!mode.equals("none") && !mode.equals("page") && !mode.equals("link")) {
                throw new IllegalArgumentException("SOURCE_PAGINATION must be none, page or link, not '" + mode + "'");
            }
            return new Settings(setting(exchange, "source.url"), mode,
                    setting(exchange, "source.page-param:page"), setting(exchange, "source.limit-param:limit"),
                    Integer.parseInt(setting(exchange, "source.page-size:100")),
                    Integer.parseInt(setting(exchange, "source.first-page:1")),
                    Integer.parseInt(setting(exchange, "source.max-pages:10000")));
        }

        String pageUrl(int page) {
            String limit = limitParam.isBlank() ? "" : "&" + limitParam + "=" + pageSize;
            return url + (url.contains("?") ? "&" : "?") + pageParam + "=" + page + limit;
        }
    }
}
