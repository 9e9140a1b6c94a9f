package dev.drllm.util;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one shared Jackson mapper: bounded nesting and string sizes so hostile JSON fails fast. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(256)
                .maxStringLength(256 * 1024 * 1024)
                .build());
    }

    private Json() {}

    /**
     * Why {@code e} failed, on one line: Jackson's own message without the "[Source: REDACTED
     * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled) ...]" boilerplate it appends,
     * followed by the line and column (the caller names the file).
     */
    public static String problem(java.io.IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JacksonException j) {
            String msg = message(j);
            com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
            if (at != null && at.getLineNr() > 0) msg += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return msg;
        }
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst().orElse("").strip();
    }

    /** Jackson's message on one line, without any source location (for callers that know the line, e.g. JSONL). */
    public static String message(com.fasterxml.jackson.core.JacksonException j) {
        return j.getOriginalMessage() == null ? "" : j.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ").strip()
                // "(start marker at [Source: REDACTED (...); line: 1, column: 1])" inside the message itself
                .replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]", "line $1, column $2");
    }
}
