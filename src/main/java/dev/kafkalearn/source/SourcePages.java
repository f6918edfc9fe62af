package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
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
 * Configured once from application.properties (camel.beans.sourcePages.*); the poll's state lives in the exchange
 * properties this class owns.
 */
public class SourcePages {

    /** Exchange property: the source's URL as logs show it (a password or token in it masked). */
    public static final String SHOWN = "sourceShown";
    /** Exchange property: the URL of the page to fetch next, or null when the poll has read every page. */
    public static final String PAGE_URL = "pageUrl";
    /** Exchange property: the raw query of {@value #PAGE_URL} ("" for none), for camel-http's CamelHttpRawQuery header
     * (which otherwise takes the source URL's own query over the page URL's). */
    public static final String PAGE_QUERY = "pageQuery";
    /** Exchange property: how many pages this poll has read to their end. */
    public static final String PAGES = "pages";
    /** Exchange property: how many elements the page being read had so far, sent or not (an AtomicLong). */
    public static final String PAGE_ELEMENTS = "pageElements";

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");
    private static final String PAGE = "kafkaLearnPage";
    private static final String NEXT_LINK = "kafkaLearnNextLink";
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    /** rel="next", rel=next or rel="prev next" (a space-separated list of relation types, RFC 8288 section 3.3). */
    private static final Pattern REL_NEXT = Pattern.compile("(?i);\\s*rel\\s*=\\s*\"?([^\";,]*)\"?");

    private String url;
    private String mode;
    private String pageParam;
    private String limitParam;
    private int pageSize;
    private int firstPage;
    private int maxPages;

    public void setUrl(String url) {
        this.url = url.trim();
    }

    public void setPagination(String pagination) {
        String mode = pagination.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("none") && !mode.equals("page") && !mode.equals("link")) {
            throw new IllegalArgumentException("SOURCE_PAGINATION must be none, page or link, not '" + pagination + "'");
        }
        this.mode = mode;
    }

    public void setPageParam(String pageParam) {
        this.pageParam = pageParam.trim();
    }

    public void setLimitParam(String limitParam) {
        this.limitParam = limitParam.trim();
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public void setFirstPage(int firstPage) {
        this.firstPage = firstPage;
    }

    public void setMaxPages(int maxPages) {
        this.maxPages = maxPages;
    }

    /** Before the first page: {@value #SHOWN}, and {@value #PAGE_URL} = the first page's URL. */
    public void first(Exchange poll) {
        poll.setProperty(SHOWN, Secrets.mask(url));
        poll.setProperty(PAGES, 0);
        poll.setProperty(PAGE, firstPage);
        setPage(poll, mode.equals("page") ? pageUrl(firstPage) : url);
    }

    /** Right after a page was fetched (again, when retried), before its body is read: notes its rel="next" link. */
    public void fetched(Exchange poll) {
        poll.setProperty(PAGE_ELEMENTS, new AtomicLong());
        String current = poll.getProperty(PAGE_URL, String.class);
        poll.setProperty(NEXT_LINK, nextLink(poll.getMessage().getHeader("Link", String.class), current));
    }

    /** More elements of the page were read (sent or unchanged). */
    static void elementsRead(Exchange poll, int elements) {
        poll.getProperty(PAGE_ELEMENTS, AtomicLong.class).addAndGet(elements);
    }

    /** After a page's elements were sent: {@value #PAGE_URL} becomes the next page's URL, or null at the end. */
    public void next(Exchange poll) {
        AtomicLong read = poll.getProperty(PAGE_ELEMENTS, AtomicLong.class);
        long elements = read == null ? 0 : read.get();
        int pages = poll.getProperty(PAGES, 0, Integer.class) + 1;
        poll.setProperty(PAGES, pages);
        String next = switch (mode) {
            case "page" -> {
                int page = poll.getProperty(PAGE, Integer.class) + 1;
                poll.setProperty(PAGE, page);
                yield elements == 0 || elements < pageSize ? null : pageUrl(page);
            }
            case "link" -> poll.getProperty(NEXT_LINK, String.class);
            default -> null;
        };
        if (next != null && pages >= maxPages) {
            LOG.warn("Stopped reading {} after {} pages (SOURCE_MAX_PAGES); the next page would have been {}",
                    Secrets.mask(url), pages, Secrets.mask(next));
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

    private String pageUrl(int page) {
        String limit = limitParam.isBlank() ? "" : "&" + limitParam + "=" + pageSize;
        return url + (url.contains("?") ? "&" : "?") + pageParam + "=" + page + limit;
    }
}
