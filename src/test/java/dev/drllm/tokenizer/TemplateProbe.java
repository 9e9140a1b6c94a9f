package dev.drllm.tokenizer;

/** For tests outside this package (the fuzz target's guard): what the chat-template sandbox saw. */
public final class TemplateProbe {
    private TemplateProbe() {}

    /** A secret the test classpath holds ({@code dev/drllm/tokenizer/canary.txt}); no rendering may ever show it. */
    public static final String CANARY = TemplateSandboxTest.CANARY;
    public static final String CANARY_RESOURCE = TemplateSandboxTest.CANARY_RESOURCE;

    /** How many resources templates have asked for so far in this JVM (each one refused). */
    public static long resourceRequests() { return ChatTemplate.resourceRequests(); }
}
