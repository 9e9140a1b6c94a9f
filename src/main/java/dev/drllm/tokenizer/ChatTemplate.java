package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.FatalTemplateErrorsException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import com.hubspot.jinjava.tree.TagNode;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A chat template from tokenizer_config.json (or chat_template.jinja), rendered with Jinjava set up
 * like transformers' sandboxed Jinja2 environment: {@code trim_blocks}, {@code lstrip_blocks} (as a
 * source rewrite, {@link JinjaCompat#lstripBlocks}), Jinja2's whitespace control on expressions, the
 * template's single trailing newline dropped (Jinja2's {@code keep_trailing_newline=False}),
 * {@code raise_exception}, {@code strftime_now}, transformers' {@code tojson}, the loop controls and
 * {@code {% generation %}}, with Python's values and operators ({@link PyEnvironment}, {@link PyValues}:
 * None apart from undefined, {@code str()} output, {@code str.format}, slices with any bounds and step,
 * {@code and}/{@code or}/{@code in}/{@code ==}/{@code +}, integers of any size and Python's arithmetic
 * ({@link PyNumbers}), tuples, printf-style {@code %}, chained comparisons, Jinja2's filters and tests
 * only ({@link PyFilters})), Jinja2's {@code for} (filtered, recursive, {@code loop.changed}, a scope per
 * iteration) and {@code set}, and the Python string, list and dict methods templates call
 * ({@link PythonMethods}). Nothing is loaded: {@code include}/{@code import}/{@code from}/{@code extends}
 * fail ({@link NoResources}). ChatTemplateCorpusTest checks all of it against Jinja2 on 70 real
 * templates and 267 snippets.
 *
 * <p>Known differences from Jinja2 (none met by the corpus or its snippets): integers beyond 65,536
 * bits and ranges beyond 100,000 items fail (Python goes on; Jinja2's sandbox also stops at 100,000);
 * {@code pprint} is {@code repr} (no 80-column wrapping); {@code loop.cycle}, {@code caller()} and
 * {@code namespace} are Jinjava's; error messages say what Python would raise, not always in
 * Jinja2's words. docs/results/chat-templates.md lists what was checked.
 */
final class ChatTemplate {
    private final Path source;
    private final String template;
    private static final long MAX_CHARS = 8L << 20;
    private final Jinjava jinjava;

    /** Wall-clock budget of one render; real templates take milliseconds. */
    static final long DEFAULT_RENDER_MILLIS = 5_000;
    private long renderMillis = DEFAULT_RENDER_MILLIS;

    private ChatTemplate(Path source, String template) {
        this.source = source;
        // Jinja2 reads every line break of the source (\r\n, \r, \n) as \n, text and string literals
        // alike, and drops one trailing newline unless keep_trailing_newline is set
        String t = template.replace("\r\n", "\n").replace('\r', '\n');
        t = t.endsWith("\n") ? t.substring(0, t.length() - 1) : t;
        this.template = JinjaCompat.rewrite(t);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                // lstrip_blocks as Jinja2 does it is a source rewrite (JinjaCompat.lstripBlocks)
                .withLstripBlocks(false)
                .withElResolver(PythonMethods.resolver())
                .withFailOnUnknownTokens(false)
                // a template comes with the model download: bound what it may build so a hostile or
                // broken one ends in a TokenizerException, not an OutOfMemoryError (ParserFuzzTest#chatTemplate
                // doubled a string 60 times); 8M chars is far beyond any context window
                .withMaxOutputSize(MAX_CHARS)
                .withMaxStringLength(MAX_CHARS)
                .withMaxListSize(1 << 20)
                .withMaxMapSize(1 << 20)
                .withMaxMacroRecursionDepth(64)
                // Jinja2 lets a macro call itself (json_schema_to_typescript, json_sorted); the depth stays bounded
                .withEnableRecursiveMacroCalls(true)
                // {{ x }} prints Python's str(x) and output is never rendered again as a template
                .withExecutionMode(new PyEnvironment.PyExecutionMode())
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        // {{- … -}} trims like Jinja2 (Jinjava ignores it on expressions by default)
                        .withUseTrimmingForNotesAndExpressions(true)
                        // lists and dicts print as Python's repr: [1, 'a'], {'a': 1}
                        .withUsePyishObjectMapper(true)
                        .withEvaluateMapKeys(true)
                        .withKeepNullableLoopValues(true)
                        // filters and tests apply to a unary expression ({@code -x|abs}), as in Jinja2;
                        // PyEnvironment's parser builds the levels around it
                        .withUseNaturalOperatorPrecedence(true)
                        .build())
                .build();
        this.jinjava = new PyEnvironment.PyJinjava(config);
        // transformers renders with no loader at all; Jinjava's default reads the classpath, so a
        // model's template could pull the embedding application's resources into the prompt
        jinjava.setResourceLocator(new NoResources());
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now", PythonMethods.class, "strftimeNow", String.class));
        jinjava.registerFunction(new ELFunctionDefinition("", "loop", ChatTemplate.class, "recurse", Object.class));
        jinjava.registerFunction(new ELFunctionDefinition("", "dict", PyFilters.class, "dict", Object[].class));
        jinjava.registerFunction(new ELFunctionDefinition("", "range", PyValues.class, "range", Object[].class));
        jinjava.registerFunction(new ELFunctionDefinition("", JinjaCompat.SLICE_FUNCTION, JinjaCompat.class, "slice",
                Object.class, Object.class, Object.class, Object.class));
        PyEnvironment.registerFilters(jinjava);
        PyFilters.register(jinjava, "tojson", ChatTemplate::toJson);
        jinjava.getGlobalContext().registerTag(new BudgetedFor());
        jinjava.getGlobalContext().registerTag(new PyEnvironment.GenerationTag());
        jinjava.getGlobalContext().registerTag(new PyEnvironment.PySetTag());
        jinjava.getGlobalContext().registerTag(new PyEnvironment.FilterTag());
        jinjava.getGlobalContext().registerTag(new PyEnvironment.WithTag());
        jinjava.getGlobalContext().registerTag(new PyEnvironment.PyMacroTag());
        for (var test : JinjaCompat.tests()) jinjava.registerExpTest(test);
    }

    /** A template file as it is (for tests: the corpus of other projects' templates). */
    static ChatTemplate ofText(Path source, String template) {
        return new ChatTemplate(source, template);
    }

    /** The clock {@code strftime_now} reads; fixed by tests that compare renderings. */
    private java.time.Clock clock = java.time.Clock.systemDefaultZone();

    ChatTemplate withClock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The template of a tokenizer directory, or null when it has none. */
    static ChatTemplate find(Path dir, JsonNode config, Path configFile) {
        Path jinja = dir == null ? null : dir.resolve("chat_template.jinja");
        if (jinja != null && Files.isRegularFile(jinja)) {
            try {
                return new ChatTemplate(jinja, Files.readString(jinja));
            } catch (IOException e) {
                throw new TokenizerException(jinja, null, "unreadable: " + e.getMessage(), e);
            }
        }
        JsonNode t = config.get("chat_template");
        if (t == null || t.isNull()) return null;
        if (t.isTextual()) return new ChatTemplate(configFile, t.asText());
        if (t.isArray()) {
            // transformers' named templates: [{"name": "default", "template": …}, {"name": "tool_use", …}]
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual())
                    return new ChatTemplate(configFile, named.get("template").asText());
            }
            throw new TokenizerException(configFile, "chat_template", "a list of templates without one named 'default'");
        }
        throw new TokenizerException(configFile, "chat_template", "expected a string or a list of named templates");
    }

    String render(List<Map<String, Object>> messages, boolean addGenerationPrompt, Map<String, Object> vars, SpecialTokens specials) {
        Map<String, Object> ctx = new HashMap<>();
        // what transformers passes: the special tokens map, messages, tools/documents, the flag, then **kwargs
        if (specials.bos() != null) ctx.put("bos_token", specials.bos());
        if (specials.eos() != null) ctx.put("eos_token", specials.eos());
        if (specials.unk() != null) ctx.put("unk_token", specials.unk());
        if (specials.pad() != null) ctx.put("pad_token", specials.pad());
        // the caller's objects are copied (a template cannot change them) with JSON null as None
        ctx.put("messages", PyValues.fromJava(messages));
        ctx.put("tools", PyValues.NONE);
        ctx.put("documents", PyValues.NONE);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        ctx.put(JinjaCompat.NONE_VARIABLE, PyValues.NONE);
        // transformers' globals are "defined" (Llama 3.1+ test `strftime_now is defined`); calls
        // still go to the registered functions
        ctx.put("strftime_now", "<function strftime_now>");
        ctx.put("raise_exception", "<function raise_exception>");
        for (Map.Entry<String, Object> e : vars.entrySet()) ctx.put(e.getKey(), PyValues.fromJava(e.getValue()));
        checkSyntax();
        RenderResult r;
        long[] budget = {System.nanoTime() + renderMillis * 1_000_000L, renderMillis, 0};
        PythonMethods.DEADLINE.set(budget);
        PythonMethods.NOW.set(clock);
        String[] refused = new String[1];
        REFUSED.set(refused);
        try {
            r = jinjava.renderForResult(template, ctx);
        } catch (RuntimeException e) {
            if (refused[0] != null) throw new TokenizerException(source, "chat_template", refused[0], e);
            if (e instanceof PythonMethods.RenderTimeout || e instanceof FatalTemplateErrorsException)
                throw new TokenizerException(source, "chat_template", "cannot render: " + e.getMessage(), e);
            throw new TokenizerException(source, "chat_template", "cannot render: " + rootMessage(e), e);
        } finally {
            PythonMethods.DEADLINE.remove();
            PythonMethods.NOW.remove();
            REFUSED.remove();
        }
        // whatever Jinjava made of a refusal (an error, a warning, an empty string), a template
        // that asked for a resource does not render
        if (refused[0] != null) throw new TokenizerException(source, "chat_template", refused[0]);
        if (budget[2] != 0) {
            throw new TokenizerException(source, "chat_template", "cannot render: rendering took longer than " + renderMillis
                    + " ms (a loop that does not end, or far more work than any chat needs)");
        }
        for (TemplateError err : r.getErrors()) {
            // Jinjava only warns when a macro recurses past the depth and renders on without it; in
            // Jinja2 a runaway recursion ends in RecursionError (e.g. a schema printer iterating the
            // characters of a type name), so here it fails too
            if (err.getCategory() == com.hubspot.jinjava.interpret.errorcategory.BasicTemplateErrorCategory.CYCLE_DETECTED) {
                throw new TokenizerException(source, "chat_template", "line " + err.getLineno() + ": RecursionError: " + err.getMessage());
            }
            if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
                String msg = err.getException() != null ? rootMessage(err.getException()) : err.getMessage();
                throw new TokenizerException(source, "chat_template", "line " + err.getLineno() + ": " + msg);
            }
        }
        return r.getOutput();
    }

    /** The first refused resource request of the calling thread's render ({@link NoResources}). */
    private static final ThreadLocal<String[]> REFUSED = new ThreadLocal<>();

    /**
     * Every resource request a render makes: {@code include}, {@code import}, {@code from … import},
     * {@code extends}, and whatever else Jinjava routes through its resource locator. For tests and
     * the fuzz target's guard: it must only ever grow together with a refusal.
     */
    private static final java.util.concurrent.atomic.AtomicLong RESOURCE_REQUESTS = new java.util.concurrent.atomic.AtomicLong();

    static long resourceRequests() { return RESOURCE_REQUESTS.get(); }

    /**
     * The environment's only resource locator: it loads nothing, whatever the name (classpath,
     * file, URL, relative or absolute), like transformers' environment without a loader. There is
     * no location resolver either, so relative names are never turned into paths. Each request is
     * recorded for the render that made it; the render then fails with the line and the name.
     */
    static final class NoResources implements ResourceLocator {
        @Override
        public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter) throws IOException {
            RESOURCE_REQUESTS.incrementAndGet();
            String line = interpreter == null ? "" : "line " + interpreter.getLineNumber() + ": ";
            String msg = line + "cannot load '" + fullName + "': a chat template may not load other templates, files or resources "
                    + "(include, import, from … import and extends are refused, as in transformers' sandbox)";
            String[] refused = REFUSED.get();
            if (refused != null && refused[0] == null) refused[0] = msg;
            throw new ResourceRefused(msg);
        }
    }

    /** The refusal; an IOException so that each tag fails the way it fails on a missing template. */
    static final class ResourceRefused extends ResourceNotFoundException {
        ResourceRefused(String message) { super(message); }
    }

    /** For tests: a shorter budget. */
    ChatTemplate withRenderMillis(long millis) {
        this.renderMillis = millis;
        return this;
    }

    private volatile boolean syntaxChecked;

    /**
     * Jinjava reports a syntax error (an unknown tag, an unclosed block) only while rendering, and
     * renders around it: loops enclosing a broken tag ran for 15+ s before the error surfaced
     * (a ParserFuzzTest slow unit). Parsing first fails fast, before anything runs.
     */
    private void checkSyntax() {
        if (syntaxChecked) return;
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            interpreter.parse(template);
        } catch (RuntimeException e) {
            throw new TokenizerException(source, "chat_template", "cannot parse: " + rootMessage(e), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        for (TemplateError err : interpreter.getErrors()) {
            if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TokenizerException(source, "chat_template", "line " + err.getLineno() + ": " + err.getMessage());
            }
        }
        syntaxChecked = true;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        if (t instanceof TemplateRaised || t instanceof PyValues.PyError) return t.getMessage();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** {@code raise_exception(msg)}: what templates call to reject a conversation (e.g. bad role order). */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) { super("raise_exception: " + message); }
    }

    /**
     * Jinja2's {@code for}, run here rather than by Jinjava's ForTag: the items filtered by
     * {@code if} before the loop (so {@code loop.index}, {@code loop.last} and {@code loop.length}
     * count the kept ones), {@code else} when nothing is left, a fresh scope for every iteration
     * (a {@code set} in the body does not carry over to the next one, as in Jinja2), items bound
     * as they are (tuples stay tuples), {@code loop.previtem} / {@code nextitem} / {@code changed()}
     * / {@code depth}, and {@code recursive} loops whose body calls {@code loop(children)}. The
     * render's time budget is checked before every iteration: a loop body need not read a
     * variable, so the property-read check in {@link PythonMethods} alone would let nested loops
     * run on long after it.
     */
    private static final class BudgetedFor extends ForTag {
        @Override
        public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
            var varsAndExpression = getLoopVarsAndExpression((com.hubspot.jinjava.tree.parse.TagToken) tagNode.getMaster());
            List<String> loopVars = varsAndExpression.getLeft();
            String expression = varsAndExpression.getRight();
            // for target in iter [if cond] [recursive]
            boolean recursive = false;
            int rec = JinjaCompat.topLevelKeyword(expression, "recursive");
            if (rec >= 0 && expression.substring(rec + "recursive".length()).isBlank()) {
                recursive = true;
                expression = expression.substring(0, rec);
            }
            String condition = null;
            int at = JinjaCompat.topLevelKeyword(expression, "if");
            if (at >= 0) {
                condition = expression.substring(at + 2);
                expression = expression.substring(0, at);
            }
            Object collection = interpreter.resolveELExpression(expression, tagNode.getLineNumber());
            // Jinja2's for … else: the else part renders when the loop has no items (Jinjava rendered it as body)
            List<com.hubspot.jinjava.tree.Node> body = new ArrayList<>(tagNode.getChildren()), elsePart = List.of();
            for (int k = 0; k < body.size(); k++) {
                if (body.get(k) instanceof TagNode t && "else".equals(t.getName())) {
                    elsePart = body.subList(k + 1, body.size());
                    body = body.subList(0, k);
                    break;
                }
            }
            Loop loop = new Loop(tagNode, body, loopVars, condition, recursive);
            List<Object> items = loop.items(interpreter, collection);
            if (items.isEmpty() && !elsePart.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (com.hubspot.jinjava.tree.Node n : elsePart) sb.append(n.render(interpreter).getValue());
                return sb.toString();
            }
            return loop.render(interpreter, items, 0);
        }
    }

    /** One {@code for} tag: what it binds, its filter, its body; rendered at depth 0 and, if recursive, by {@code loop(…)}. */
    private record Loop(TagNode tag, List<com.hubspot.jinjava.tree.Node> body, List<String> loopVars, String condition, boolean recursive) {
        /** The items of a collection as Python iterates them, filtered by the loop's {@code if}. */
        List<Object> items(JinjavaInterpreter interpreter, Object collection) {
            PythonMethods.checkDeadline();
            List<Object> all = new ArrayList<>();
            for (Object item : iterate(collection)) {
                all.add(item);
                if (all.size() > (1 << 20)) throw new PyValues.PyError("a loop over more than " + (1 << 20) + " items");
            }
            if (condition == null) return all;
            List<Object> kept = new ArrayList<>();
            for (Object item : all) {
                PythonMethods.checkDeadline();
                try (var scope = interpreter.enterScope()) {
                    bind(interpreter, loopVars, item);
                    if (PyValues.truthy(interpreter.resolveELExpression(condition, tag.getLineNumber()))) kept.add(item);
                }
            }
            return kept;
        }

        String render(JinjavaInterpreter interpreter, List<Object> items, int depth0) {
            LoopItems state = new LoopItems(items, depth0, this, interpreter);
            var out = new com.hubspot.jinjava.util.LengthLimitingStringBuilder(interpreter.getConfig().getMaxOutputSize());
            LOOPS.get().push(state);
            try (var scope = interpreter.enterScope()) {
                interpreter.getContext().put(ForTag.LOOP, state.loop);
                while (state.loop.hasNext()) {
                    Object item = state.loop.next();
                    // each iteration in a scope of its own: Jinja2 does not carry a body's set over
                    try (var iteration = interpreter.enterScope()) {
                        bind(interpreter, loopVars, item);
                        for (com.hubspot.jinjava.tree.Node n : body) {
                            out.append(n.render(interpreter));
                            if (state.loop.isContinued()) break;
                        }
                    }
                }
            } finally {
                LOOPS.get().pop();
            }
            return out.toString();
        }

        private static Iterable<?> iterate(Object c) {
            if (c == null) return List.of(); // undefined iterates as empty
            if (c instanceof Map<?, ?> m) return m.keySet();
            if (c instanceof Iterable<?> it) return it;
            if (c instanceof Iterator<?> it) {
                List<Object> all = new ArrayList<>();
                it.forEachRemaining(all::add);
                return all;
            }
            if (c instanceof String s) return s.codePoints().mapToObj(Character::toString).toList();
            if (c instanceof com.hubspot.jinjava.objects.SafeString s) return s.toString().codePoints().mapToObj(Character::toString).toList();
            throw notIterable(c);
        }

        private static void bind(JinjavaInterpreter interpreter, List<String> loopVars, Object item) {
            if (loopVars.size() == 1) {
                // an Optional.empty() is Jinjava's "present but None-less null": the name stays bound
                interpreter.getContext().put(loopVars.get(0), item == null ? java.util.Optional.empty() : item);
                return;
            }
            List<Object> parts = new ArrayList<>();
            if (item instanceof Map<?, ?> || item instanceof Iterable<?> || item instanceof String) for (Object o : iterate(item)) parts.add(o);
            else throw new PyValues.PyError("TypeError: cannot unpack non-iterable " + PyValues.typeName(item) + " object");
            if (parts.size() != loopVars.size())
                throw new PyValues.PyError("ValueError: " + (parts.size() < loopVars.size() ? "not enough values to unpack (expected " + loopVars.size() + ", got " + parts.size() + ")"
                        : "too many values to unpack (expected " + loopVars.size() + ")"));
            for (int i = 0; i < loopVars.size(); i++) interpreter.getContext().put(loopVars.get(i), parts.get(i) == null ? java.util.Optional.empty() : parts.get(i));
        }
    }

    private static PyValues.PyError notIterable(Object c) {
        return new PyValues.PyError("TypeError: '" + PyValues.typeName(c) + "' object is not iterable");
    }

    /** {@code loop(items)} in a recursive loop's body: the same loop on the items, one level deeper. */
    public static String recurse(Object collection) {
        LoopItems current = LOOPS.get().peek();
        if (current == null) throw new PyValues.PyError("UndefinedError: 'loop' is undefined");
        if (!current.loop.owner.recursive())
            throw new PyValues.PyError("TypeError: Tried to call non recursive loop. Maybe you forgot the 'recursive' modifier.");
        Loop loop = current.loop.owner;
        JinjavaInterpreter interpreter = current.interpreter;
        // as the macro depth: Python's recursion limit ends a runaway loop(…) in Jinja2
        if (current.loop.depth0 + 1 >= MAX_LOOP_DEPTH) throw new PyValues.PyError("RecursionError: recursive loop deeper than " + MAX_LOOP_DEPTH + " levels");
        return loop.render(interpreter, loop.items(interpreter, collection), current.loop.depth0 + 1);
    }

    private static final int MAX_LOOP_DEPTH = 64;

    /** The loops being rendered on this thread, innermost first: what {@code loop(…)} calls. */
    static final ThreadLocal<java.util.ArrayDeque<LoopItems>> LOOPS = ThreadLocal.withInitial(java.util.ArrayDeque::new);

    /** A loop's items and its position, checking the render's time budget at every step. */
    static final class LoopItems {
        final List<Object> items;
        final PyLoop loop;
        final JinjavaInterpreter interpreter;
        int position = -1;
        /** What {@code loop.changed(…)} saw last; a private sentinel before its first call. */
        Object changedLast = LoopItems.class;

        private LoopItems(List<Object> items, int depth0, Loop owner, JinjavaInterpreter interpreter) {
            this.items = items;
            this.interpreter = interpreter;
            this.loop = new PyLoop(this, depth0, owner);
        }

        /** Jinja2's loop.previtem / loop.nextitem: undefined at either end. */
        Object previous() { return position > 0 ? items.get(position - 1) : null; }

        Object next() { return position + 1 < items.size() ? items.get(position + 1) : null; }

        /** Jinja2's loop.changed(*values): true at the first call and whenever the values differ from the last call's. */
        boolean changed(Object value) {
            boolean changed = changedLast == LoopItems.class || !PyValues.pyEquals(changedLast, value);
            changedLast = value;
            return changed;
        }
    }

    /** Jinjava's loop object (index, first, last, length, cycle, break and continue) with Jinja2's depth. */
    static final class PyLoop extends com.hubspot.jinjava.util.ForLoop {
        final LoopItems state;
        final int depth0;
        final Loop owner;

        private PyLoop(LoopItems state, int depth0, Loop owner) {
            super(new Iterator<>() {
                @Override public boolean hasNext() {
                    PythonMethods.checkDeadline();
                    return state.position + 1 < state.items.size();
                }

                @Override public Object next() { return state.items.get(++state.position); }
            }, state.items.size());
            this.state = state;
            this.depth0 = depth0;
            this.owner = owner;
        }

        @Override public int getDepth() { return depth0 + 1; }

        @Override public int getDepth0() { return depth0; }
    }

    /**
     * transformers' tojson: {@code json.dumps(x, ensure_ascii=False, indent=None, separators=None,
     * sort_keys=False)}, arguments by position in that order or by name.
     */
    private static Object toJson(Object var, JinjavaInterpreter interpreter, PyFilters.Args a) {
        Object ensureAscii = a.get(0, "ensure_ascii", false);
        Object ind = a.get(1, "indent", null);
        Object separators = a.get(2, "separators", null);
        Object sort = a.get(3, "sort_keys", false);
        String indent = ind == null || ind == PyValues.NONE ? null
                : ind instanceof String str ? str : ind instanceof Number n ? " ".repeat(Math.max(0, Math.min(n.intValue(), 1024))) : null;
        String itemSep = indent == null ? ", " : ",", keySep = ": ";
        if (separators instanceof List<?> seps && separators != PyValues.NONE) {
            if (seps.size() != 2) throw new PyValues.PyError("ValueError: separators must be an (item_separator, key_separator) pair");
            itemSep = PyValues.str(seps.get(0));
            keySep = PyValues.str(seps.get(1));
        }
        return PythonJson.dumps(var, indent, PyValues.truthy(sort), PyValues.truthy(ensureAscii), itemSep, keySep);
    }
}
